import { defineConfig } from 'vite';

/**
 * The console's build, served by the API from dist/web. Vite's own transform (oxc) compiles the
 * TSX with React's automatic runtime; no plugin is needed. Nothing is inlined: the CSP allows
 * scripts, styles and images from the API's own origin only.
 */
export default defineConfig({
  root: 'apps/web',
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    sourcemap: true,
    rollupOptions: {
      onwarn(warning, warn) {
        // React Router marks its modules "use client" for server components; in a browser-only
        // bundle the directive means nothing, so dropping it is right and not worth a warning.
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE') return;
        warn(warning);
      },
    },
  },
});
