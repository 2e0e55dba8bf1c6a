#version 330 core
// A flat-coloured line (blended over the grid and the discs).
uniform vec4 u_colour;
out vec4 f_color;
void main() {
    f_color = u_colour;
}
