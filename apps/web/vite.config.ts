import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const apiTarget = process.env.SAFER_PLACES_API ?? 'http://localhost:3000';

export default defineConfig({
  plugins: [react()],
  server: {
    // The local API refuses writes whose Origin is another site; through the proxy the page speaks as the API's origin.
    proxy: { '/api': { target: apiTarget, changeOrigin: true, headers: { origin: apiTarget } } },
  },
  preview: {
    proxy: { '/api': { target: apiTarget, changeOrigin: true, headers: { origin: apiTarget } } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // maplibre-gl alone is ~1 MB minified; the warning would only repeat that.
    chunkSizeWarningLimit: 2000,
  },
});
