/* sources: placeholder until the screen is written (draws its name only). */
#include "cxtop/uiscr.h"

static void ui_sources_draw(struct ui_ctx *c, int top, int height)
{
	ui_put(top + 1, 2, c->cols - 4, THEME_DIM, "%s", "Sources");
}

static int ui_sources_key(struct ui_ctx *c, int key)
{
	return UI_K_IGNORED;
}

static const struct ui_key ui_sources_keys[] = { { NULL, NULL } };

const struct ui_screen ui_sources_screen = {
	.name = "Sources",
	.draw = ui_sources_draw,
	.key = ui_sources_key,
	.keys = ui_sources_keys,
};
