/* campaigns: placeholder until the screen is written (draws its name only). */
#include "cxtop/uiscr.h"

static void ui_campaigns_draw(struct ui_ctx *c, int top, int height)
{
	ui_put(top + 1, 2, c->cols - 4, THEME_DIM, "%s", "Campaigns");
}

static int ui_campaigns_key(struct ui_ctx *c, int key)
{
	return UI_K_IGNORED;
}

static const struct ui_key ui_campaigns_keys[] = { { NULL, NULL } };

const struct ui_screen ui_campaigns_screen = {
	.name = "Campaigns",
	.draw = ui_campaigns_draw,
	.key = ui_campaigns_key,
	.keys = ui_campaigns_keys,
};
