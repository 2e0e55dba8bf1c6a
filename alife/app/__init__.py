"""The desktop app: pygame window, ImGui on ModernGL, controller facade, panels."""
