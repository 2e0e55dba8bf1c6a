#version 330 core
// An anti-aliased shape with a dark rim, so entities read on any background and one by one
// when they overlap. Shapes (per entity): 0 a disc of radius u_radius, 1 a square, 2 a
// diamond, 3 a triangle pointing up, each of about the disc's area.
uniform float u_radius;
in vec2 v_offset;
in vec4 v_col;
flat in int v_shape;
out vec4 f_color;

// signed distance in pixels from the shape's edge: positive inside
float inside(vec2 p, float r) {
    vec2 q = abs(p);
    if (v_shape == 1) return 0.85 * r - max(q.x, q.y);              // square, half-side 0.85 r
    if (v_shape == 2) return (1.2 * r - (q.x + q.y)) * 0.70710678;  // diamond, tips at 1.2 r
    if (v_shape == 3) {                       // equilateral, circumradius 1.3 r (y is down)
        float half_r = 0.65 * r;
        return min(half_r - p.y, half_r - (0.8660254 * q.x - 0.5 * p.y));
    }
    return r - length(p);                     // disc
}

void main() {
    float d = inside(v_offset, u_radius);
    float coverage = clamp(d + 0.5, 0.0, 1.0) * v_col.a;
    if (coverage <= 0.0) discard;
    float rim = u_radius > 3.0 ? clamp(1.5 - d, 0.0, 1.0) : 0.0;
    f_color = vec4(mix(v_col.rgb, v_col.rgb * 0.3, rim), coverage);
}
