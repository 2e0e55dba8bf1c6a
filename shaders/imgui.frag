#version 330 core
// Vertex colour times the bound texture (the font atlas, or a user image).
uniform sampler2D u_texture;
in vec2 v_uv;
in vec4 v_col;
out vec4 f_color;
void main() {
    f_color = v_col * texture(u_texture, v_uv);
}
