import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built by electron/scripts/build.mjs; served from app:// in Electron and by the loopback web host,
// so every asset URL is relative and nothing is fetched from anywhere else.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: {
    // Relative to root: <repo>/dist/renderer.
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Chromium supports modulepreload; the polyfill would only add code.
    modulePreload: { polyfill: false },
    sourcemap: true,
    // Timings depend on the machine's load, not on the code: not worth a warning in every build.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
});
