/* lexicon: words of real exports, English and German. See
 * include/cxtop/lexicon.h.
 *
 * The header names come from the exports cxtop was tried with (Qualtrics,
 * SurveyMonkey, Google Forms, Typeform, HubSpot, Mailchimp, Klaviyo, a
 * Telco CRM extract) and from the German words their users put in
 * spreadsheets. A name either equals the folded header ('=') or is
 * contained in it ('~', for question texts such as "How likely are you to
 * recommend us?"). Ranks order the candidates of one column: the best
 * present wins. */
#include "cxtop/lexicon.h"

#include "cxtop/schema.h"
#include "cxtop/util.h"

#include <string.h>

#define K_E (1u << SCHEMA_EVENTS)
#define K_R (1u << SCHEMA_RESPONSES)
#define K_C (1u << SCHEMA_CUSTOMERS)
#define K_K (1u << SCHEMA_CAMPAIGNS)
#define K_A (1u << SCHEMA_AWARENESS)
#define K_ALL (K_E | K_R | K_C | K_K | K_A)

struct lexicon_name {
	unsigned kinds;
	int col;
	char how; /* '=' the folded header is this; '~' it contains this */
	int rank;
	const char *name;
};

static const struct lexicon_name lexicon_names[] = {
	/* timestamp: for responses the time a response was recorded beats its
	 * start; for events the event's own time */
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 90, "timestamp"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 85, "recordeddate"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 85, "submitted at"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 85, "submit date (utc)"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 85, "submission date"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 84, "date submitted"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 80, "enddate"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 80, "end date"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 60, "startdate"},
	{K_R, SCHEMA_COL_TIMESTAMP, '=', 60, "start date"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 75, "datetime"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 75, "created"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 75, "created_at"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 75, "occurred_at"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 70, "time"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 70, "date"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 70, "event time"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 70, "zeitstempel"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 70, "datum"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 70, "erstellt am"},
	{K_E | K_R, SCHEMA_COL_TIMESTAMP, '=', 65, "zeit"},
	/* customer: a person's id beats a response's */
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 95, "customer_id"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 90, "customerid"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 90, "customer id"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 88, "customer"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 88, "member_id"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 88, "person_id"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 88, "contact_id"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 88, "user_id"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 86, "contact"},
	{K_C, SCHEMA_COL_CUSTOMER_ID, '=', 87, "record id"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 85, "email"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 85, "email address"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 85, "contact email"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 85, "recipient"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 84, "recipientemail"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 84, "recipient email"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 84, "e-mail"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 84, "e-mail-adresse"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 88, "kunde"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 90, "kunden-nr."},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 90, "kundennummer"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 90, "kunden-id"},
	{K_E | K_R | K_C, SCHEMA_COL_CUSTOMER_ID, '=', 90, "kundenid"},
	{K_R, SCHEMA_COL_CUSTOMER_ID, '=', 60, "uniqueid"},
	{K_R, SCHEMA_COL_CUSTOMER_ID, '=', 55, "respondentid"},
	{K_R, SCHEMA_COL_CUSTOMER_ID, '=', 55, "respondent id"},
	{K_R, SCHEMA_COL_CUSTOMER_ID, '=', 50, "responseid"},
	{K_R, SCHEMA_COL_CUSTOMER_ID, '=', 50, "response id"},
	{K_R, SCHEMA_COL_CUSTOMER_ID, '=', 45, "network id"},
	{K_R, SCHEMA_COL_CUSTOMER_ID, '=', 45, "#"},
	/* campaign */
	{K_ALL, SCHEMA_COL_CAMPAIGN_ID, '=', 95, "campaign_id"},
	{K_ALL, SCHEMA_COL_CAMPAIGN_ID, '=', 90, "campaignid"},
	{K_ALL, SCHEMA_COL_CAMPAIGN_ID, '=', 90, "campaign id"},
	{K_ALL, SCHEMA_COL_CAMPAIGN_ID, '=', 88, "campaign"},
	{K_ALL, SCHEMA_COL_CAMPAIGN_ID, '=', 85, "email_campaign_id"},
	{K_ALL, SCHEMA_COL_CAMPAIGN_ID, '=', 80, "kampagne"},
	{K_ALL, SCHEMA_COL_CAMPAIGN_ID, '=', 80, "kampagnen-id"},
	{K_ALL, SCHEMA_COL_CAMPAIGN_ID, '=', 75, "mailing"},
	{K_K, SCHEMA_COL_CAMPAIGN_ID, '=', 70, "id"},
	/* event */
	{K_E, SCHEMA_COL_EVENT, '=', 95, "event"},
	{K_E, SCHEMA_COL_EVENT, '=', 90, "event type"},
	{K_E, SCHEMA_COL_EVENT, '=', 90, "event_type"},
	{K_E, SCHEMA_COL_EVENT, '=', 85, "type"},
	{K_E, SCHEMA_COL_EVENT, '=', 85, "action"},
	{K_E, SCHEMA_COL_EVENT, '=', 80, "metric"},
	{K_E, SCHEMA_COL_EVENT, '=', 80, "activity"},
	{K_E, SCHEMA_COL_EVENT, '=', 85, "ereignis"},
	{K_E, SCHEMA_COL_EVENT, '=', 80, "aktion"},
	/* value */
	{K_E, SCHEMA_COL_VALUE, '=', 95, "value"},
	{K_E, SCHEMA_COL_VALUE, '=', 90, "revenue"},
	{K_E, SCHEMA_COL_VALUE, '=', 85, "amount"},
	{K_E, SCHEMA_COL_VALUE, '=', 85, "property_value"},
	{K_E, SCHEMA_COL_VALUE, '=', 85, "order value"},
	{K_E, SCHEMA_COL_VALUE, '=', 85, "umsatz"},
	{K_E, SCHEMA_COL_VALUE, '=', 80, "betrag"},
	{K_E, SCHEMA_COL_VALUE, '=', 80, "wert"},
	/* machine opens */
	{K_E, SCHEMA_COL_MACHINE, '=', 95, "machine"},
	{K_E, SCHEMA_COL_MACHINE, '=', 85, "filtered_event"},
	{K_E, SCHEMA_COL_MACHINE, '=', 85, "is_bot"},
	{K_E, SCHEMA_COL_MACHINE, '=', 80, "bot"},
	/* survey */
	{K_R, SCHEMA_COL_SURVEY, '=', 95, "survey"},
	{K_R, SCHEMA_COL_SURVEY, '=', 90, "survey name"},
	{K_R, SCHEMA_COL_SURVEY, '=', 90, "survey_name"},
	{K_R, SCHEMA_COL_SURVEY, '=', 85, "survey type"},
	{K_R, SCHEMA_COL_SURVEY, '=', 80, "umfrage"},
	/* score: a "would you recommend" question beats a plain rating */
	{K_R, SCHEMA_COL_SCORE, '=', 95, "score"},
	{K_R, SCHEMA_COL_SCORE, '=', 92, "nps"},
	{K_R, SCHEMA_COL_SCORE, '=', 92, "nps score"},
	{K_R, SCHEMA_COL_SCORE, '=', 92, "likelytorecommend"},
	{K_R, SCHEMA_COL_SCORE, '~', 90, "recommend"},
	{K_R, SCHEMA_COL_SCORE, '~', 90, "empfehlen"},
	{K_R, SCHEMA_COL_SCORE, '~', 88, "weiterempfehlen"},
	{K_R, SCHEMA_COL_SCORE, '=', 85, "rating"},
	{K_R, SCHEMA_COL_SCORE, '=', 85, "bewertung"},
	{K_R, SCHEMA_COL_SCORE, '~', 70, "on a scale of 0-10"},
	{K_R, SCHEMA_COL_SCORE, '~', 60, "how satisfied"},
	{K_R, SCHEMA_COL_SCORE, '~', 60, "how easy"},
	{K_R, SCHEMA_COL_SCORE, '~', 55, "how useful"},
	{K_R, SCHEMA_COL_SCORE, '~', 55, "zufrieden"},
	/* segment */
	{K_R | K_C, SCHEMA_COL_SEGMENT, '=', 95, "segment"},
	{K_R | K_C, SCHEMA_COL_SEGMENT, '=', 85, "plan"},
	{K_R | K_C, SCHEMA_COL_SEGMENT, '=', 85, "tier"},
	{K_R | K_C, SCHEMA_COL_SEGMENT, '=', 80, "customer segment"},
	{K_R | K_C, SCHEMA_COL_SEGMENT, '=', 80, "kundengruppe"},
	{K_R | K_C, SCHEMA_COL_SEGMENT, '=', 75, "contract"},
	{K_C, SCHEMA_COL_SEGMENT, '=', 70, "lifecycle stage"},
	/* comment */
	{K_R, SCHEMA_COL_COMMENT, '=', 95, "comment"},
	{K_R, SCHEMA_COL_COMMENT, '=', 92, "comments"},
	{K_R, SCHEMA_COL_COMMENT, '=', 90, "feedback"},
	{K_R, SCHEMA_COL_COMMENT, '=', 88, "response"},
	{K_R, SCHEMA_COL_COMMENT, '=', 85, "kommentar"},
	{K_R, SCHEMA_COL_COMMENT, '=', 85, "anmerkung"},
	{K_R, SCHEMA_COL_COMMENT, '~', 70, "why?"},
	{K_R, SCHEMA_COL_COMMENT, '~', 65, "any other comments"},
	{K_R, SCHEMA_COL_COMMENT, '~', 60, "warum"},
	/* customers */
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 95, "signup_date"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 90, "signup"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 90, "sign up date"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 90, "signup date"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 85, "customer since"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 80, "created_at"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 80, "created"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 85, "anmeldedatum"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 85, "kunde seit"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 80, "registriert am"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 85, "create date"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 85, "createdate"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 80, "optin_time"},
	{K_C, SCHEMA_COL_SIGNUP_DATE, '=', 75, "confirm_time"},
	{K_C, SCHEMA_COL_CHURN_DATE, '=', 95, "churn_date"},
	{K_C, SCHEMA_COL_CHURN_DATE, '=', 90, "churned_at"},
	{K_C, SCHEMA_COL_CHURN_DATE, '=', 90, "churn date"},
	{K_C, SCHEMA_COL_CHURN_DATE, '=', 85, "cancel date"},
	{K_C, SCHEMA_COL_CHURN_DATE, '=', 85, "cancelled_at"},
	{K_C, SCHEMA_COL_CHURN_DATE, '=', 85, "cancellation date"},
	{K_C, SCHEMA_COL_CHURN_DATE, '=', 85, "k\xc3\xbcndigungsdatum"},
	{K_C, SCHEMA_COL_CHURN_DATE, '=', 80, "gek\xc3\xbcndigt am"},
	{K_C, SCHEMA_COL_CHURNED, '=', 95, "churned"},
	{K_C, SCHEMA_COL_CHURNED, '=', 95, "churn"},
	{K_C, SCHEMA_COL_CHURNED, '=', 85, "is_churned"},
	{K_C, SCHEMA_COL_CHURNED, '=', 85, "gek\xc3\xbcndigt"},
	{K_C, SCHEMA_COL_CHURNED, '=', 85, "abgewandert"},
	{K_C, SCHEMA_COL_TENURE, '=', 95, "tenure"},
	{K_C, SCHEMA_COL_TENURE, '=', 85, "tenure (months)"},
	{K_C, SCHEMA_COL_TENURE, '=', 80, "laufzeit"},
	{K_C, SCHEMA_COL_OPTED_IN, '=', 95, "opted_in"},
	{K_C, SCHEMA_COL_OPTED_IN, '=', 90, "opt in"},
	{K_C, SCHEMA_COL_OPTED_IN, '=', 90, "opt-in"},
	{K_C, SCHEMA_COL_OPTED_IN, '=', 85, "subscribed"},
	{K_C, SCHEMA_COL_OPTED_IN, '=', 85, "email opt-in"},
	{K_C, SCHEMA_COL_OPTED_IN, '=', 85, "newsletter"},
	{K_C, SCHEMA_COL_OPTED_IN, '=', 80, "marketing consent"},
	{K_C, SCHEMA_COL_OPTED_IN, '=', 80, "einwilligung"},
	{K_C, SCHEMA_COL_MONTHLY_REVENUE, '=', 95, "monthly_revenue"},
	{K_C, SCHEMA_COL_MONTHLY_REVENUE, '=', 90, "mrr"},
	{K_C, SCHEMA_COL_MONTHLY_REVENUE, '=', 90, "monthlycharges"},
	{K_C, SCHEMA_COL_MONTHLY_REVENUE, '=', 90, "monthly charges"},
	{K_C, SCHEMA_COL_MONTHLY_REVENUE, '=', 85, "monthly fee"},
	{K_C, SCHEMA_COL_MONTHLY_REVENUE, '=', 85, "monatsumsatz"},
	{K_C, SCHEMA_COL_MONTHLY_REVENUE, '=', 85, "monatlicher umsatz"},
	/* campaigns */
	{K_K, SCHEMA_COL_NAME, '=', 95, "name"},
	{K_K, SCHEMA_COL_NAME, '=', 90, "campaign name"},
	{K_K, SCHEMA_COL_NAME, '=', 88, "title"},
	{K_K, SCHEMA_COL_NAME, '=', 80, "subject"},
	{K_K, SCHEMA_COL_NAME, '=', 85, "kampagnenname"},
	{K_K, SCHEMA_COL_NAME, '=', 85, "titel"},
	{K_K, SCHEMA_COL_CHANNEL, '=', 95, "channel"},
	{K_K, SCHEMA_COL_CHANNEL, '=', 85, "medium"},
	{K_K, SCHEMA_COL_CHANNEL, '=', 85, "kanal"},
	{K_K, SCHEMA_COL_START_DATE, '=', 95, "start_date"},
	{K_K, SCHEMA_COL_START_DATE, '=', 90, "send_time"},
	{K_K, SCHEMA_COL_START_DATE, '=', 90, "sent_at"},
	{K_K, SCHEMA_COL_START_DATE, '=', 85, "send date"},
	{K_K, SCHEMA_COL_START_DATE, '=', 85, "start"},
	{K_K, SCHEMA_COL_START_DATE, '=', 85, "versanddatum"},
	{K_K, SCHEMA_COL_START_DATE, '=', 85, "startdatum"},
	{K_K, SCHEMA_COL_SPEND, '=', 95, "spend"},
	{K_K, SCHEMA_COL_SPEND, '=', 90, "cost"},
	{K_K, SCHEMA_COL_SPEND, '=', 85, "budget"},
	{K_K, SCHEMA_COL_SPEND, '=', 85, "kosten"},
	/* awareness */
	{K_A, SCHEMA_COL_DATE, '=', 95, "date"},
	{K_A, SCHEMA_COL_DATE, '=', 85, "day"},
	{K_A, SCHEMA_COL_DATE, '=', 85, "datum"},
	{K_A, SCHEMA_COL_DATE, '=', 85, "tag"},
	{K_A, SCHEMA_COL_IMPRESSIONS, '=', 95, "impressions"},
	{K_A, SCHEMA_COL_IMPRESSIONS, '=', 85, "impr."},
	{K_A, SCHEMA_COL_IMPRESSIONS, '=', 85, "impressionen"},
	{K_A, SCHEMA_COL_IMPRESSIONS, '=', 80, "views"},
	{K_A, SCHEMA_COL_REACH, '=', 95, "reach"},
	{K_A, SCHEMA_COL_REACH, '=', 85, "reichweite"},
	{K_A, SCHEMA_COL_AWARE, '=', 95, "aware"},
	{K_A, SCHEMA_COL_ASKED, '=', 95, "asked"},
};

int lexicon_header_rank(int kind, int col, const char *h)
{
	char f[512];
	int best = 0;
	if (util_fold(h, strlen(h), f, sizeof f) == SIZE_MAX)
		return 0;
	for (size_t i = 0; i < sizeof lexicon_names / sizeof lexicon_names[0]; i++) {
		const struct lexicon_name *x = &lexicon_names[i];
		if (x->col != col || !(x->kinds & (1u << kind)) || x->rank <= best)
			continue;
		if (x->how == '=' ? strcmp(f, x->name) == 0 : strstr(f, x->name) != NULL)
			best = x->rank;
	}
	return best;
}

/* ---- event words ------------------------------------------------------- */

static const struct {
	const char *word;
	int event;
} lexicon_events[] = {
	{"gesendet", SCHEMA_EV_SENT},          {"versendet", SCHEMA_EV_SENT},
	{"verschickt", SCHEMA_EV_SENT},
	{"zugestellt", SCHEMA_EV_DELIVERED},   {"delivery", SCHEMA_EV_DELIVERED},
	{"ge\xc3\xb6" "ffnet", SCHEMA_EV_OPEN}, {"geoeffnet", SCHEMA_EV_OPEN},
	{"ge\xc3\xb6" "ffnet (maschine)", SCHEMA_EV_MACHINE_OPEN},
	{"\xc3\xb6" "ffnung", SCHEMA_EV_OPEN},  {"geklickt", SCHEMA_EV_CLICK},
	{"klick", SCHEMA_EV_CLICK},            {"abgemeldet", SCHEMA_EV_UNSUBSCRIBE},
	{"abmeldung", SCHEMA_EV_UNSUBSCRIBE},  {"unsub", SCHEMA_EV_UNSUBSCRIBE},
	{"unzustellbar", SCHEMA_EV_BOUNCE},    {"bounced email", SCHEMA_EV_BOUNCE},
	{"beschwerde", SCHEMA_EV_COMPLAINT},   {"spam-beschwerde", SCHEMA_EV_COMPLAINT},
	{"kauf", SCHEMA_EV_CONVERSION},        {"bestellung", SCHEMA_EV_CONVERSION},
	{"placed order", SCHEMA_EV_CONVERSION}, {"ordered product", SCHEMA_EV_CONVERSION},
	{"umfrage gesendet", SCHEMA_EV_SURVEY_SENT},
};

int lexicon_event_word(const char *w)
{
	char f[256];
	if (util_fold(w, strlen(w), f, sizeof f) == SIZE_MAX)
		return -1;
	for (size_t i = 0; i < sizeof lexicon_events / sizeof lexicon_events[0]; i++)
		if (strcmp(f, lexicon_events[i].word) == 0)
			return lexicon_events[i].event;
	return -1;
}

/* ---- answer scales ------------------------------------------------------ */

#define LX_SCALE(id, ...) static const char *const id##_l[] = {__VA_ARGS__, NULL}

LX_SCALE(agree5, "strongly disagree", "disagree", "neither agree nor disagree", "agree",
	 "strongly agree");
static const int agree5_s[] = {1, 2, 3, 4, 5};
LX_SCALE(agree7, "strongly disagree", "disagree", "somewhat disagree",
	 "neither agree nor disagree", "somewhat agree", "agree", "strongly agree");
static const int agree7_s[] = {1, 2, 3, 4, 5, 6, 7};
LX_SCALE(easy7, "very difficult", "difficult", "somewhat difficult",
	 "neither easy nor difficult", "somewhat easy", "easy", "very easy");
static const int easy7_s[] = {1, 2, 3, 4, 5, 6, 7};
LX_SCALE(easy5, "very difficult", "difficult", "neutral", "easy", "very easy");
static const int easy5_s[] = {1, 2, 3, 4, 5};
LX_SCALE(sat5, "very dissatisfied", "dissatisfied", "neither satisfied nor dissatisfied",
	 "neutral", "satisfied", "very satisfied");
static const int sat5_s[] = {1, 2, 3, 3, 4, 5};
LX_SCALE(likely5, "very unlikely", "unlikely", "neutral", "likely", "very likely");
static const int likely5_s[] = {1, 2, 3, 4, 5};
LX_SCALE(fav5, "very unfavorably", "somewhat unfavorably",
	 "neither favorably nor unfavorably (neutral)", "somewhat favorably", "very favorably");
static const int fav5_s[] = {1, 2, 3, 4, 5};
LX_SCALE(fav5uk, "very unfavourably", "somewhat unfavourably",
	 "neither favourably nor unfavourably (neutral)", "somewhat favourably", "very favourably");
static const int fav5uk_s[] = {1, 2, 3, 4, 5};
LX_SCALE(hubspot3, "negative", "neutral", "positive");
static const int hubspot3_s[] = {0, 1, 2};
LX_SCALE(zustimm5, "stimme \xc3\xbc" "berhaupt nicht zu", "stimme eher nicht zu", "teils/teils",
	 "stimme eher zu", "stimme voll zu", "stimme nicht zu", "stimme zu",
	 "stimme voll und ganz zu");
static const int zustimm5_s[] = {1, 2, 3, 4, 5, 2, 4, 5};
LX_SCALE(zufrieden5, "sehr unzufrieden", "unzufrieden", "neutral", "zufrieden",
	 "sehr zufrieden", "teils/teils");
static const int zufrieden5_s[] = {1, 2, 3, 4, 5, 3};
LX_SCALE(einfach5, "sehr schwierig", "schwierig", "neutral", "einfach", "sehr einfach",
	 "teils/teils");
static const int einfach5_s[] = {1, 2, 3, 4, 5, 3};

static const struct lexicon_scale lexicon_scales[] = {
	{"Negative / Neutral / Positive (HubSpot CSAT, 0-2)", SCHEMA_SURVEY_CSAT, 0, 2,
	 hubspot3_l, hubspot3_s},
	{"agree / disagree, 5 points", SCHEMA_SURVEY_CSAT, 1, 5, agree5_l, agree5_s},
	{"agree / disagree, 7 points", SCHEMA_SURVEY_CSAT, 1, 7, agree7_l, agree7_s},
	{"easy / difficult, 5 points", SCHEMA_SURVEY_CES, 1, 5, easy5_l, easy5_s},
	{"easy / difficult, 7 points", SCHEMA_SURVEY_CES, 1, 7, easy7_l, easy7_s},
	{"satisfied / dissatisfied, 5 points", SCHEMA_SURVEY_CSAT, 1, 5, sat5_l, sat5_s},
	{"likely / unlikely, 5 points", SCHEMA_SURVEY_CSAT, 1, 5, likely5_l, likely5_s},
	{"favorable / unfavorable, 5 points", SCHEMA_SURVEY_CSAT, 1, 5, fav5_l, fav5_s},
	{"favourable / unfavourable, 5 points", SCHEMA_SURVEY_CSAT, 1, 5, fav5uk_l, fav5uk_s},
	{"Zustimmung (stimme zu / nicht zu), 5 Stufen", SCHEMA_SURVEY_CSAT, 1, 5, zustimm5_l,
	 zustimm5_s},
	{"zufrieden / unzufrieden, 5 Stufen", SCHEMA_SURVEY_CSAT, 1, 5, zufrieden5_l, zufrieden5_s},
	{"einfach / schwierig, 5 Stufen", SCHEMA_SURVEY_CES, 1, 5, einfach5_l, einfach5_s},
};

static int lexicon_in_scale(const struct lexicon_scale *s, const char *label)
{
	for (size_t i = 0; s->labels[i]; i++)
		if (strcmp(s->labels[i], label) == 0)
			return 1;
	return 0;
}

int lexicon_scale_has(const struct lexicon_scale *s, const char *label)
{
	return lexicon_in_scale(s, label);
}

const struct lexicon_scale *lexicon_scale_of(char *const *labels, size_t n, size_t *covered)
{
	/* the scale holding most of them; on a tie the first listed (the
	 * smallest of its family) */
	const struct lexicon_scale *best = NULL;
	size_t bk = 0;
	for (size_t k = 0; k < sizeof lexicon_scales / sizeof lexicon_scales[0]; k++) {
		size_t in = 0;
		for (size_t i = 0; i < n; i++)
			in += (size_t)lexicon_in_scale(&lexicon_scales[k], labels[i]);
		if (in > bk) {
			bk = in;
			best = &lexicon_scales[k];
		}
	}
	if (covered)
		*covered = bk;
	/* one shared word ("neutral") is not a scale */
	return bk >= 2 && 2 * bk >= n ? best : bk == n && n ? best : NULL;
}

/* The survey keywords, folded, in the order they are tried. */
static const struct {
	const char *word;
	int survey;
} lexicon_survey_words[] = {
	{"nps", SCHEMA_SURVEY_NPS},           {"net promoter", SCHEMA_SURVEY_NPS},
	{"recommend", SCHEMA_SURVEY_NPS},     {"empfehl", SCHEMA_SURVEY_NPS},
	{"csat", SCHEMA_SURVEY_CSAT},         {"satisfaction", SCHEMA_SURVEY_CSAT},
	{"zufriedenheit", SCHEMA_SURVEY_CSAT}, {"ces", SCHEMA_SURVEY_CES},
	{"effort", SCHEMA_SURVEY_CES},        {"aufwand", SCHEMA_SURVEY_CES},
};

/* 1 if f holds w as a word or the start of one ("empfehl" in
 * "weiterempfehlen" counts: German joins words; "ces" in "process" does
 * not: a short word must stand alone). */
static int lexicon_has_word(const char *f, const char *w)
{
	size_t n = strlen(w);
	for (const char *p = f; (p = strstr(p, w)) != NULL; p++) {
		int before = p == f || !((p[-1] >= 'a' && p[-1] <= 'z'));
		int after = !((p[n] >= 'a' && p[n] <= 'z'));
		if (n > 4 || (before && after))
			return 1;
	}
	return 0;
}

int lexicon_survey_keyword(const char *name, const char **keyword)
{
	char f[512];
	if (util_fold(name, strlen(name), f, sizeof f) == SIZE_MAX)
		return -1;
	for (size_t i = 0; i < sizeof lexicon_survey_words / sizeof lexicon_survey_words[0]; i++)
		if (lexicon_has_word(f, lexicon_survey_words[i].word)) {
			if (keyword)
				*keyword = lexicon_survey_words[i].word;
			return lexicon_survey_words[i].survey;
		}
	return -1;
}

int lexicon_survey_name(const char *name)
{
	return lexicon_survey_keyword(name, NULL);
}

int lexicon_bool_word(const char *w)
{
	static const char *const yes[] = {"ja", "j", "wahr", NULL};
	static const char *const no[] = {"nein", "falsch", NULL};
	char f[64];
	if (util_fold(w, strlen(w), f, sizeof f) == SIZE_MAX)
		return -1;
	for (size_t i = 0; yes[i]; i++)
		if (strcmp(f, yes[i]) == 0)
			return 1;
	for (size_t i = 0; no[i]; i++)
		if (strcmp(f, no[i]) == 0)
			return 0;
	return -1;
}
