#version 330 core
// One instanced quad per link: a line from a to b (cell coordinates), u_width pixels wide plus
// a pixel each side for the anti-aliased edge.
uniform vec4 u_viewport;   // (x, y, w, h) in framebuffer pixels
uniform vec2 u_origin;     // screen (x, y down) of the top-left corner of cell (0, 0)
uniform float u_zoom;      // screen pixels per cell
uniform float u_width;     // line width in screen pixels
in vec2 in_corner;         // per vertex: (along in [0, 1], across in [-1, 1])
in vec2 in_a;              // per link: start (row, col)
in vec2 in_b;              // per link: end (row, col)
out float v_across;        // pixels from the line's middle
void main() {
    vec2 a = u_origin + in_a.yx * u_zoom;
    vec2 b = u_origin + in_b.yx * u_zoom;
    vec2 d = b - a;
    float len = length(d);
    vec2 dir = len > 1e-4 ? d / len : vec2(1.0, 0.0);
    vec2 normal = vec2(-dir.y, dir.x);
    v_across = in_corner.y * (0.5 * u_width + 1.0);
    vec2 screen = mix(a, b, in_corner.x) + normal * v_across;
    gl_Position = vec4(screen.x / u_viewport.z * 2.0 - 1.0, 1.0 - screen.y / u_viewport.w * 2.0,
                       0.0, 1.0);
}
