import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

// The same bundle serves the desktop webview (tauri.conf.json → ui/dist) and, later,
// `strongroom server` at /ui; asset paths are relative so both work.
export default defineConfig({
  base: './',
  plugins: [react()],
  clearScreen: false,
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
})
