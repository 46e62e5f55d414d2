/* SPDX-License-Identifier: MIT */
/*
 * demo.h - the generator of the demo newspaper: invented articles in English
 * and Simplified Chinese, staff names, and abstract PNG illustrations, all
 * computed from a seed.  It touches no file and no database: `masthead demo`
 * stores what it returns.  The same seed gives byte-identical output on every
 * machine (core/rng.h, integer arithmetic only, no clock: the caller passes
 * now_ms).  Every word is produced by the grammars in grammar_en.c and
 * grammar_zh.c, which text.c expands; png.c draws the images.
 */
#ifndef MH_DEMO_DEMO_H
#define MH_DEMO_DEMO_H

#include "core/compat.h"
#include "core/str.h"
#include "model/model.h"

struct arena;
struct buf;

/* One edition of the demo paper. */
struct demo_edition_spec {
    const char *slug;            /* "english", "zh": copied into article.edition */
    const char *lang;            /* "zh..." writes Simplified Chinese, anything else English */
    const char *const *channels; /* channel slugs, n_channels >= 1 */
    size_t n_channels;
    const int *channel_weights;  /* NULL: "news" weighs as much as all the others together */
    int share;                   /* relative share of the articles; 0 counts as 1 */
};

struct demo_params {
    uint64_t seed;
    int64_t now_ms;           /* "now": published dates fall in the 180 days before it */
    int min_words, max_words; /* body length: English words, or Chinese characters / 2 */
    const struct demo_edition_spec *editions; /* n_editions >= 1; borrowed for the demo's life */
    size_t n_editions;
    int n_reporters; /* bylines per edition; 0 means 24 */
    int n_editors;   /* responsible editors per edition; 0 means 6 */
};

/* Bounds demo_new() applies to the body length: min_words is raised to
 * DEMO_MIN_WORDS, max_words is clamped to DEMO_MAX_WORDS and raised to
 * min_words + DEMO_WORD_SLACK, the room the generator needs to land inside. */
#define DEMO_MIN_WORDS 40
#define DEMO_MAX_WORDS 100000
#define DEMO_WORD_SLACK 12

struct demo;

/* A generator for P (P->editions is borrowed, not copied).  Compiling the
 * grammars takes about a millisecond.  A struct demo is read-only once made:
 * threads may share it as long as each passes its own arena.  Aborts on a
 * malformed grammar or parameters (a bug, not an input error). */
struct demo *demo_new(const struct demo_params *p);
/* NULL is a no-op. */
void demo_free(struct demo *d);
uint64_t demo_seed(const struct demo *d);

/*
 * Fill *OUT with article I (0-based) of the paper; every string and array
 * lives in ARENA.  The article depends only on (params, I), not on which
 * articles were generated before.  Contents:
 *   - edition/channel: from the specs, in proportion to share and weights;
 *   - status: about 91% published, 2% each draft, submitted, approved,
 *     scheduled (scheduled_at 1-72 h after now) and 1% withdrawn; published
 *     and withdrawn articles have first_published_at in the 180 days before
 *     now (denser near now), the others first_published_at = 0; always
 *     created_at <= first_published_at <= last_published_at <= now and
 *     created_at <= updated_at <= now; revision 1-4;
 *   - title, optional subtitle and kicker, 1-3 authors and an editor (staff
 *     names, see demo_staff_person), source, 2-5 keywords, an abstract;
 *   - body: Markdown (BODY_MARKDOWN) of min_words..max_words as counted by
 *     demo_count_words();
 *   - images: exactly one, the lead image, with mime "image/png", the size of
 *     pool image demo_article_image(d, I), caption, credit and alt text; path,
 *     sha256 and media_id are left empty for the caller to attach the file;
 *   - id 0: the caller numbers articles.
 * All text is valid UTF-8 without control characters (the body has '\n').
 */
void demo_article(const struct demo *d, int64_t i, struct arena *arena, struct article *out);

/* A one-sentence summary of article I for a Top News slot (shorter than the
 * abstract, same language and subject); lives in ARENA. */
struct str demo_article_summary(const struct demo *d, int64_t i, struct arena *arena);

/* Words in BODY as the generator counts them: for English, runs of non-space
 * bytes holding a letter or digit; for Chinese (LANG "zh..."), Han
 * characters plus Latin words, divided by two (rounded down). */
int demo_count_words(const char *lang, struct str body);

/*
 * Staff.  Edition E (index into params.editions) has demo_staff_count(d, E)
 * members: reporters first, then editors.  Member J is person
 * demo_staff_person(d, E, J, &is_editor); bylines, photo credits and the
 * responsible editor of E's articles are always among them.
 */
int demo_staff_count(const struct demo *d, size_t e);
int demo_staff_person(const struct demo *d, size_t e, int j, bool *is_editor);

/* Person K's name in LANG: "ZHOU Lanting" style in English, "周兰婷" in
 * Chinese, the same person in both.  Distinct K below 100000 give distinct
 * names in each language.  Lives in ARENA (the heap if NULL: caller frees
 * ptr). */
struct str demo_person(const struct demo *d, const char *lang, int k, struct arena *arena);

/* A one-sentence description for a channel page, in LANG, guessed from the
 * slug ("policy", "cooperation", ...); lives in ARENA. */
struct str demo_channel_description(const struct demo *d, const char *lang, const char *slug,
                                    struct arena *arena);

/*
 * The image pool (png.c).  Pool image N shows motif N % DEMO_MOTIF_COUNT;
 * there are DEMO_MOTIF_COUNT * DEMO_IMAGE_VARIANTS of them, each 1200x675 or
 * 960x540 RGB, under 150 KB, deterministic in (seed, N).
 */
enum demo_motif {
    DEMO_MOTIF_ORBITS,    /* space, quantum */
    DEMO_MOTIF_MOLECULES, /* biology, materials */
    DEMO_MOTIF_CHART,     /* policy, analysis, transport */
    DEMO_MOTIF_WAVES,     /* climate, agriculture, energy */
    DEMO_MOTIF_CIRCUIT,   /* AI, chips */
    DEMO_MOTIF_NETWORK,   /* cooperation, digital, robotics */
    DEMO_MOTIF_COUNT
};
#define DEMO_IMAGE_VARIANTS 6

int demo_image_count(const struct demo *d);
/* The pool image article I uses, in [0, demo_image_count()). */
int demo_article_image(const struct demo *d, int64_t i);
/* Pixel size of pool image INDEX (in [0, demo_image_count())). */
void demo_image_size(const struct demo *d, int index, int *width, int *height);
/* A description of pool image INDEX for alt text, in LANG; lives in ARENA
 * (the heap if NULL: caller frees ptr). */
struct str demo_image_alt(const struct demo *d, int index, const char *lang, struct arena *arena);
/* Append the PNG file of pool image INDEX (a bug if out of range) to OUT:
 * 8-bit RGB, one IDAT, about 15 ms of work.  Returns MH_OK, or OUT's error
 * (MH_TOOBIG when its ceiling is under the file size). */
MH_MUST_CHECK int demo_image_png(const struct demo *d, int index, struct buf *out);

/* The grammars text.c expands (grammar_en.c, grammar_zh.c); the format is
 * described at the top of text.c.  Exposed for the tests. */
extern const char demo_grammar_en[];
extern const char demo_grammar_zh[];

#endif
