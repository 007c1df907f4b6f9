/* retention: placeholder until the screen is written (draws its name only). */
#include "cxtop/uiscr.h"

static void ui_retention_draw(struct ui_ctx *c, int top, int height)
{
	ui_put(top + 1, 2, c->cols - 4, THEME_DIM, "%s", "Retention");
}

static int ui_retention_key(struct ui_ctx *c, int key)
{
	return UI_K_IGNORED;
}

static const struct ui_key ui_retention_keys[] = { { NULL, NULL } };

const struct ui_screen ui_retention_screen = {
	.name = "Retention",
	.draw = ui_retention_draw,
	.key = ui_retention_key,
	.keys = ui_retention_keys,
};
