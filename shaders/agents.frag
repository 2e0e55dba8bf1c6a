#version 330 core
// An anti-aliased disc with a dark one-pixel rim, so agents read on any background.
uniform float u_radius;
in vec2 v_offset;
in vec4 v_col;
out vec4 f_color;
void main() {
    float d = length(v_offset);
    float coverage = clamp(u_radius - d + 0.5, 0.0, 1.0) * v_col.a;
    if (coverage <= 0.0) discard;
    float rim = u_radius > 3.0 ? clamp(d - (u_radius - 1.5), 0.0, 1.0) : 0.0;
    f_color = vec4(mix(v_col.rgb, v_col.rgb * 0.35, rim), coverage);
}
