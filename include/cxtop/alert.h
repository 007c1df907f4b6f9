/* alert: the alerts of a view (the metrics gap, SPEC section 3), from the
 * numbers view_build has computed; see src/alert.c. It sits above view in
 * the flow (store -> view -> alert -> ui/report): view never calls it, and
 * every consumer of a view with alerts calls alert_build once after
 * view_build. */
#ifndef CXTOP_ALERT_H
#define CXTOP_ALERT_H

#include "cxtop/config.h"
#include "cxtop/view.h"

/* Add v's alerts (campaigns in the window, then the window's own) to
 * v->alerts, most severe first; v owns them. */
void alert_build(struct view *v, const struct config *cfg);

#endif
