// The recruiter web app's build: served by the API at /app (src/plugins/web-app.ts) under a CSP
// that allows no inline script, so no inline module-preload polyfill either.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
  },
});
