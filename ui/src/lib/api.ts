// The UI's only door to the Rust side: one typed function per Tauri command.
//
// Types come from `./bindings/`, generated from Rust by ts-rs; never edit those
// files by hand. A failing command rejects with a `CommandError`
// (`{ code, message }`); outside Tauri, or if the IPC bridge breaks, it rejects
// with something else. Screens decide what to tell the user and never show a
// raw exception.

import { invoke } from '@tauri-apps/api/core';
import type { AppInfo } from './bindings/AppInfo';
import type { CommandError } from './bindings/CommandError';

export type { AppInfo, CommandError };

/** The app's version and whether this device already holds a vault. */
export async function appInfo(): Promise<AppInfo> {
  return invoke<AppInfo>('app_info');
}
