/* responses: placeholder until the screen is written (draws its name only). */
#include "cxtop/uiscr.h"

static void ui_responses_draw(struct ui_ctx *c, int top, int height)
{
	ui_put(top + 1, 2, c->cols - 4, THEME_DIM, "%s", "Responses");
}

static int ui_responses_key(struct ui_ctx *c, int key)
{
	return UI_K_IGNORED;
}

static const struct ui_key ui_responses_keys[] = { { NULL, NULL } };

const struct ui_screen ui_responses_screen = {
	.name = "Responses",
	.draw = ui_responses_draw,
	.key = ui_responses_key,
	.keys = ui_responses_keys,
};
