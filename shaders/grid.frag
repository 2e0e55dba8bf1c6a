#version 330 core
// Cell grid: each fragment finds its cell from the camera, samples the cell's texel (NEAREST
// filtering: crisp squares at whole zooms), colours it by the look, and draws grid lines.
// Zoomed out (< 1 px per cell) it averages up to 4x4 cells per pixel instead of aliasing.

uniform sampler2D u_cells;     // the view: R8/RG8/RGB8/RGBA8 (normalised) or R32F..RGBA32F
uniform sampler2D u_lut;       // 256 x 1 RGBA8: index -> colour (LUT looks)
uniform ivec2 u_grid;          // (W, H) in cells
uniform vec4 u_viewport;       // (x, y, w, h) in framebuffer pixels, GL convention (y up)
uniform vec2 u_origin;         // screen (x, y down) of the top-left corner of cell (0, 0)
uniform float u_zoom;          // screen pixels per cell
uniform int u_mode;            // 0 LUT, 1 RGB, 2 RGBA over white
uniform float u_index_scale;   // texel value -> LUT index
uniform int u_channel;         // which channel feeds the LUT
uniform vec3 u_outside;        // colour outside the grid
uniform vec3 u_grid_rgb;       // grid line colour
uniform vec2 u_grid_alpha;     // line opacity: (minor, major every 10th line)

out vec4 f_color;

vec3 cell_colour(vec2 cellpos) {
    // texture() with NEAREST filtering picks texel floor(cellpos): the same cell as texelFetch,
    // and several times faster on Mesa llvmpipe
    vec4 t = texture(u_cells, cellpos / vec2(u_grid));
    if (u_mode == 1) return clamp(t.rgb, 0.0, 1.0);
    if (u_mode == 2) {
        vec4 c = clamp(t, 0.0, 1.0);
        return clamp(c.rgb + 1.0 - c.a, 0.0, 1.0);
    }
    float index = clamp(floor(t[u_channel] * u_index_scale + 0.5), 0.0, 255.0);
    return texture(u_lut, vec2((index + 0.5) / 256.0, 0.5)).rgb;
}

vec3 colour_at(vec2 cellpos) {
    if (any(lessThan(cellpos, vec2(0.0))) || any(greaterThanEqual(cellpos, vec2(u_grid))))
        return u_outside;
    return cell_colour(cellpos);
}

// Compile-time variants (the renderer inserts the defines after #version): SAMPLES n per
// axis (1 when zoom >= 1) and GRID_LINES (0/1). Uniform branches and dynamic loops are costly
// on llvmpipe, so each combination is its own program.
#ifndef SAMPLES
#define SAMPLES 1
#endif
#ifndef GRID_LINES
#define GRID_LINES 0
#endif

void main() {
    vec2 local = gl_FragCoord.xy - u_viewport.xy;
    vec2 screen = vec2(local.x, u_viewport.w - local.y);      // y down, pixel centres at +0.5
    vec2 cellpos = (screen - u_origin) / u_zoom;             // (col, row), continuous
#if SAMPLES <= 1
    vec3 colour = colour_at(cellpos);
#else
    vec3 colour = vec3(0.0);
    vec2 corner = (screen - 0.5 - u_origin) / u_zoom;
    float step = 1.0 / (u_zoom * float(SAMPLES));
    for (int j = 0; j < SAMPLES; ++j)
        for (int i = 0; i < SAMPLES; ++i)
            colour += colour_at(corner + (vec2(i, j) + 0.5) * step);
    colour /= float(SAMPLES * SAMPLES);
#endif
#if GRID_LINES
    // A line k (the left/top edge of cell column/row k) lies at cell coordinate k. The pixel
    // covers [lo, hi) in cell units; it draws line k when lo <= k < hi, i.e. k = ceil(lo) < hi.
    // Exactly one pixel per line at any zoom >= 1 (whole or not): no line is dropped or doubled.
    vec2 lo = (screen - 0.5 - u_origin) / u_zoom;
    vec2 hi = (screen + 0.5 - u_origin) / u_zoom;
    vec2 k = ceil(lo);
    bvec2 edge = lessThan(k, hi);
    vec2 grid = vec2(u_grid);
    // lines 0..W and 0..H; a vertical line is drawn only beside the grid's rows and vice versa
    bool on_x = edge.x && k.x >= 0.0 && k.x <= grid.x && cellpos.y >= 0.0 && cellpos.y < grid.y;
    bool on_y = edge.y && k.y >= 0.0 && k.y <= grid.y && cellpos.x >= 0.0 && cellpos.x < grid.x;
    if (on_x || on_y) {
        bool major = (on_x && mod(k.x, 10.0) == 0.0) || (on_y && mod(k.y, 10.0) == 0.0);
        colour = mix(colour, u_grid_rgb, major ? u_grid_alpha.y : u_grid_alpha.x);
    }
#endif
    f_color = vec4(colour, 1.0);
}
