/* nps: placeholder until the screen is written (draws its name only). */
#include "cxtop/uiscr.h"

static void ui_nps_draw(struct ui_ctx *c, int top, int height)
{
	ui_put(top + 1, 2, c->cols - 4, THEME_DIM, "%s", "NPS");
}

static int ui_nps_key(struct ui_ctx *c, int key)
{
	return UI_K_IGNORED;
}

static const struct ui_key ui_nps_keys[] = { { NULL, NULL } };

const struct ui_screen ui_nps_screen = {
	.name = "NPS",
	.draw = ui_nps_draw,
	.key = ui_nps_key,
	.keys = ui_nps_keys,
};
