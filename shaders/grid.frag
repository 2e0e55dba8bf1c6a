#version 330 core
// Cell grid: each fragment finds its cell from the camera, fetches the cell's texel (no
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
uniform vec2 u_grid_alpha;     // (minor, major every 10th line); 0 = no lines
uniform int u_samples;         // n x n samples per pixel when zoomed out

out vec4 f_color;

vec3 cell_colour(ivec2 cell) {
    vec4 t = texelFetch(u_cells, cell, 0);
    if (u_mode == 1) return clamp(t.rgb, 0.0, 1.0);
    if (u_mode == 2) {
        vec4 c = clamp(t, 0.0, 1.0);
        return clamp(c.rgb + 1.0 - c.a, 0.0, 1.0);
    }
    float v = t[u_channel];
    int index = int(clamp(floor(v * u_index_scale + 0.5), 0.0, 255.0));
    return texelFetch(u_lut, ivec2(index, 0), 0).rgb;
}

vec3 colour_at(vec2 cellpos) {
    ivec2 cell = ivec2(floor(cellpos));  // (col, row)
    if (cell.x < 0 || cell.y < 0 || cell.x >= u_grid.x || cell.y >= u_grid.y) return u_outside;
    return cell_colour(cell);
}

void main() {
    vec2 local = gl_FragCoord.xy - u_viewport.xy;
    vec2 screen = vec2(local.x, u_viewport.w - local.y);      // y down, pixel centres at +0.5
    vec2 cellpos = (screen - u_origin) / u_zoom;             // (col, row), continuous
    vec3 colour;
    if (u_samples <= 1) {
        colour = colour_at(cellpos);
    } else {
        colour = vec3(0.0);
        vec2 corner = (screen - 0.5 - u_origin) / u_zoom;
        float step = 1.0 / (u_zoom * float(u_samples));
        for (int j = 0; j < u_samples; ++j)
            for (int i = 0; i < u_samples; ++i)
                colour += colour_at(corner + (vec2(i, j) + 0.5) * step);
        colour /= float(u_samples * u_samples);
    }
    if (u_grid_alpha.x > 0.0) {
        // the pixel holding a cell's left/top edge draws the line (1 px wide at any zoom)
        vec2 left = (screen - 0.5 - u_origin) / u_zoom;
        ivec2 a = ivec2(floor(left));
        ivec2 b = ivec2(floor(cellpos));
        bvec2 edge = bvec2(b.x != a.x || fract(left.x) == 0.0, b.y != a.y || fract(left.y) == 0.0);
        // inside the grid, plus its far edge
        bool inside = b.x >= 0 && b.y >= 0 && b.x <= u_grid.x && b.y <= u_grid.y
                      && (b.x < u_grid.x || edge.x) && (b.y < u_grid.y || edge.y);
        if (inside && (edge.x || edge.y)) {
            bool major = (edge.x && b.x % 10 == 0) || (edge.y && b.y % 10 == 0);
            colour = mix(colour, u_grid_rgb, major ? u_grid_alpha.y : u_grid_alpha.x);
        }
    }
    f_color = vec4(colour, 1.0);
}
