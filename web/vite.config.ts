import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The dashboard; in development the API and the gateway are proxied to a Queuewatch on port 3000.
 * Built with relative URLs (`base: './'`), so one build serves under any mount path: the server
 * completes `index.html` with its mount path as it serves it (src/adapters/http/dashboard.ts).
 */
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: {
      '/api': 'http://127.0.0.1:3000',
      '/socket.io': { target: 'http://127.0.0.1:3000', ws: true },
    },
  },
});
