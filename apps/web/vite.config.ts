import tailwindcss from "@tailwindcss/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `steward serve` serves dist/ at /. In development `vite` proxies the API to a running
// `steward serve` (STEWARD_URL, default http://127.0.0.1:8080).
const target = process.env.STEWARD_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 600 },
  server: { proxy: { "/api": { target, changeOrigin: false } } },
});
