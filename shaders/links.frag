#version 330 core
// A translucent, anti-aliased line (blended over the grid; the entities are drawn over it).
uniform vec4 u_colour;
uniform float u_width;
in float v_across;
out vec4 f_color;
void main() {
    float coverage = clamp(0.5 * u_width - abs(v_across) + 0.5, 0.0, 1.0);
    if (coverage <= 0.0) discard;
    f_color = vec4(u_colour.rgb, u_colour.a * coverage);
}
