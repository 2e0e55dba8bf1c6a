"""ModernGL rendering: shader programs, grid renderer, palettes, headless EGL context."""
