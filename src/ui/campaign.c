/* campaign: placeholder until the screen is written (draws its name only). */
#include "cxtop/uiscr.h"

static void ui_campaign_draw(struct ui_ctx *c, int top, int height)
{
	ui_put(top + 1, 2, c->cols - 4, THEME_DIM, "%s", "Campaign");
}

static int ui_campaign_key(struct ui_ctx *c, int key)
{
	return UI_K_IGNORED;
}

static const struct ui_key ui_campaign_keys[] = { { NULL, NULL } };

const struct ui_screen ui_campaign_screen = {
	.name = "Campaign",
	.draw = ui_campaign_draw,
	.key = ui_campaign_key,
	.keys = ui_campaign_keys,
};
