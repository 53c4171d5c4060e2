import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The live-chat widget: one self-contained classic script (IIFE, no imports, no CSS file) written
// beside the console's build as web/dist/widget.js, which the server serves at /widget.js.
// Built after the console (`npm run build:web`), whose build empties web/dist.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: fileURLToPath(new URL('../dist', import.meta.url)),
    emptyOutDir: false,
    target: 'es2019',
    lib: { entry: fileURLToPath(new URL('src/main.ts', import.meta.url)), name: 'RenmaiWidget', formats: ['iife'], fileName: () => 'widget.js' },
  },
});
