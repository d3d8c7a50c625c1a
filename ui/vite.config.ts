import { defineConfig } from 'vite';

// The build lands where Maven packages it into the spoor-ui jar; the server serves it from the classpath.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'target/classes/io/spoor/ui/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
  },
  // the trace page's loader (src/loader/trace.worker.ts) is a module worker, bundled on its own
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://127.0.0.1:16686' } },
});
