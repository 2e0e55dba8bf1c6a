#version 330 core
// One instanced quad per entity, sized to its shape (plus a pixel for the anti-aliased edge).
uniform vec4 u_viewport;   // (x, y, w, h) in framebuffer pixels
uniform vec2 u_origin;     // screen (x, y down) of the top-left corner of cell (0, 0)
uniform float u_zoom;      // screen pixels per cell
uniform float u_radius;    // half-width of a shape in screen pixels
in vec2 in_corner;         // per vertex: quad corner in [-1, 1]^2
in vec2 in_pos;            // per entity: (row, col), continuous cell coordinates
in vec4 in_col;            // per entity: colour (alpha 0 = not drawn)
in float in_shape;         // per entity: 0 disc, 1 square, 2 diamond, 3 triangle
out vec2 v_offset;         // pixels from the shape's centre (x right, y down)
out vec4 v_col;
flat out int v_shape;
void main() {
    v_offset = in_corner * (1.3 * u_radius + 1.0);  // the largest shape (triangle, diamond)
    v_col = in_col;
    v_shape = int(in_shape + 0.5);
    vec2 screen = u_origin + in_pos.yx * u_zoom + v_offset;
    gl_Position = vec4(screen.x / u_viewport.z * 2.0 - 1.0, 1.0 - screen.y / u_viewport.w * 2.0,
                       0.0, 1.0);
}
