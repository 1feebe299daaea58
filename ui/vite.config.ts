import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

// The app loads `dist/` from Tauri's custom protocol under a strict CSP
// (`script-src 'self'; style-src 'self'`, no 'unsafe-inline'). So: relative
// asset paths, component CSS emitted to files (vite-plugin-svelte's default),
// and nothing inlined as data: URLs.
export default defineConfig({
  base: './',
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.ts'],
  },
});
