// Bundles the mocked Tauri IPC (`mock/install.ts`) into one classic script
// that the browser tests load before the app (`target/ui-e2e/mock.js`).
import { defineConfig } from 'vite';

const here = (p: string) => decodeURIComponent(new URL(p, import.meta.url).pathname);

export default defineConfig({
  logLevel: 'warn',
  build: {
    outDir: here('../../target/ui-e2e'),
    emptyOutDir: true,
    minify: false,
    lib: {
      entry: here('./mock/install.ts'),
      formats: ['iife'],
      name: 'veldwerkMockBundle',
      fileName: () => 'mock.js',
    },
  },
});
