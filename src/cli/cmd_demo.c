/* SPDX-License-Identifier: MIT */
/*
 * cmd_demo.c - `masthead demo DIR [--articles N] [--seed S]`: create a site
 * and fill it with the original demo newspaper from src/demo/: articles in
 * both editions with lead images, Top News, links, page views and one
 * account per role.  The same seed gives the same newspaper (with the clock
 * frozen by MH_NOW_MS, byte for byte).
 */
#include "core/compat.h"

#include "auth/auth.h"
#include "cli/cli.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/err.h"
#include "core/rng.h"
#include "demo/demo.h"
#include "media/media.h"
#include "site/site.h"
#include "store/store.h"

#ifndef MH_THEME_DIR
#define MH_THEME_DIR "themes/default"
#endif

#define FIRST_ID 480000
#define TOP_NEWS 6

static const char *const channel_slugs[] = {
    "news", "innovation-china", "cooperation", "insight", "policy",
    "case", "experts-in-china", "graphic",     "science-week",
};

/* The newest published articles of one edition, for Top News. */
struct top {
    int64_t id[TOP_NEWS], at[TOP_NEWS], index[TOP_NEWS];
    int n;
};

static void top_offer(struct top *t, int64_t id, int64_t at, int64_t index)
{
    int pos = t->n < TOP_NEWS ? t->n++ : TOP_NEWS;
    if (pos == TOP_NEWS) {
        if (at <= t->at[TOP_NEWS - 1])
            return;
        pos = TOP_NEWS - 1;
    }
    while (pos > 0 && t->at[pos - 1] < at) {
        t->id[pos] = t->id[pos - 1];
        t->at[pos] = t->at[pos - 1];
        t->index[pos] = t->index[pos - 1];
        pos--;
    }
    t->id[pos] = id;
    t->at[pos] = at;
    t->index[pos] = index;
}

struct link_spec {
    const char *title, *url;
};

static const struct link_spec friendly_en[] = {
    {"National Science Archive", "https://archive.example.org/"},
    {"Academy of Engineering Review", "https://engineering.example.org/"},
    {"Open Data Observatory", "https://data.example.net/"},
    {"Institute for Climate Studies", "https://climate.example.org/"},
    {"Public Health Bulletin", "https://health.example.com/"},
    {"Space Exploration Forum", "https://space.example.net/"},
};
static const struct link_spec friendly_zh[] = {
    {"国家科学档案馆", "https://archive.example.org/"},
    {"工程学院评论", "https://engineering.example.org/"},
    {"开放数据观测站", "https://data.example.net/"},
    {"气候研究所", "https://climate.example.org/"},
    {"公共卫生简报", "https://health.example.com/"},
    {"太空探索论坛", "https://space.example.net/"},
};
static const struct link_spec about_en[] = {
    {"About the paper", "/english/about.html"},
    {"Contact us", "/english/contact.html"},
    {"Advertising", "/english/advertising.html"},
    {"Careers", "/english/careers.html"},
    {"Copyright notice", "/english/copyright.html"},
};
static const struct link_spec about_zh[] = {
    {"关于本报", "/zh/about.html"},       {"联系我们", "/zh/contact.html"},
    {"广告服务", "/zh/advertising.html"}, {"招聘信息", "/zh/careers.html"},
    {"版权声明", "/zh/copyright.html"},
};
static const struct link_spec services_en[] = {
    {"RSS feeds", "/english/rss.xml"},
    {"Sitemap", "/sitemap.xml"},
    {"Search", "/english/search"},
};
static const struct link_spec services_zh[] = {
    {"RSS 订阅", "/zh/rss.xml"},
    {"网站地图", "/sitemap.xml"},
    {"搜索", "/zh/search"},
};

static int put_group(struct store *s, const char *edition, const char *slug, const char *name,
                     enum link_group_kind kind, int position, const struct link_spec *links,
                     size_t n)
{
    struct link items[16];
    struct link_group g = {0};
    for (size_t i = 0; i < n; i++) {
        items[i].title = str_c(links[i].title);
        items[i].url = str_c(links[i].url);
    }
    g.edition = str_c(edition);
    g.slug = str_c(slug);
    g.name = str_c(name);
    g.kind = kind;
    g.position = position;
    g.links = items;
    g.n_links = n;
    return store_link_group_put(s, &g);
}

#define GROUP(ed, slug, name, kind, pos, links) {ed, slug, name, kind, pos, links, MH_ARRAY_LEN(links)}
static const struct {
    const char *edition, *slug, *name;
    enum link_group_kind kind;
    int position;
    const struct link_spec *links;
    size_t n;
} groups[] = {
    GROUP("english", "friendly", "Friendly links", LINKS_FRIENDLY, 0, friendly_en),
    GROUP("english", "about", "About us", LINKS_FOOTER, 1, about_en),
    GROUP("english", "services", "Services", LINKS_FOOTER, 2, services_en),
    GROUP("zh", "friendly", "友情链接", LINKS_FRIENDLY, 0, friendly_zh),
    GROUP("zh", "about", "关于我们", LINKS_FOOTER, 1, about_zh),
    GROUP("zh", "services", "服务", LINKS_FOOTER, 2, services_zh),
};

static int put_links(struct store *s)
{
    int rc = MH_OK;
    for (size_t i = 0; rc == MH_OK && i < MH_ARRAY_LEN(groups); i++)
        rc = put_group(s, groups[i].edition, groups[i].slug, groups[i].name, groups[i].kind,
                       groups[i].position, groups[i].links, groups[i].n);
    return rc;
}

/* Views for an article published at AT: a burst over its first days,
 * shaped by a popularity drawn from the seed. */
static int add_views(struct store *s, struct rng *r, int64_t id, int64_t at, int64_t now)
{
    int64_t first = at / 3600000, last = now / 3600000;
    if (last - first > 24 * 14)
        return MH_OK; /* only the last two weeks matter for rankings */
    int64_t popularity = rng_range(r, 5, 400);
    if (rng_below(r, 10) == 0)
        popularity *= 8; /* a few stories take off */
    for (int64_t h = first; h <= last && h < first + 24 * 7; h += 3) {
        int64_t age = h - first;
        int64_t v = popularity * 24 / (age + 24) + (int64_t)rng_below(r, 5);
        int rc = store_pageviews_add(s, id, h, v);
        if (rc)
            return rc;
    }
    return MH_OK;
}

static const struct {
    const char *login;
    enum user_role role;
} staff[] = {
    {"reporter", ROLE_REPORTER},
    {"editor", ROLE_EDITOR},
    {"chief", ROLE_CHIEF_EDITOR},
    {"admin", ROLE_ADMIN},
};

int cmd_demo(int argc, char **argv)
{
    struct cli_args a;
    const char *name, *value;
    int64_t n_articles = 600, seed = 1;
    char err[1024];
    cli_args_init(&a, argc, argv);
    while (cli_next_option(&a, &name, &value)) {
        if (strcmp(name, "--articles") == 0) {
            if (cli_int("demo", name, cli_option_value(&a, name, value), 0, 10000000,
                        &n_articles))
                return 2;
        } else if (strcmp(name, "--seed") == 0) {
            if (cli_int("demo", name, cli_option_value(&a, name, value), 0, INT64_MAX, &seed))
                return 2;
        } else {
            fprintf(stderr, "masthead demo: unknown option '%s'\n", name);
            return cli_usage("demo");
        }
    }
    if (a.n_operands != 1)
        return cli_usage("demo");
    const char *dir = a.operands[0];
    if (site_init(dir, err, sizeof(err)) != MH_OK) {
        fprintf(stderr, "masthead demo: %s\n", err);
        return 1;
    }
    struct site *site = cli_open_site("demo", dir, false);
    if (site == NULL)
        return 1;
    struct store *s = site->store;
    int64_t now = clock_now_ms();
    struct demo_edition_spec specs[] = {
        {"english", "en", channel_slugs, MH_ARRAY_LEN(channel_slugs), NULL, 70},
        {"zh", "zh-CN", channel_slugs, MH_ARRAY_LEN(channel_slugs), NULL, 30},
    };
    struct demo_params p = {(uint64_t)seed, now, 300, 900, specs, MH_ARRAY_LEN(specs), 0, 0};
    struct demo *d = demo_new(&p);
    struct arena arena;
    struct buf png;
    struct rng views;
    struct top top[2] = {0};
    struct progress bar;
    int rc = MH_OK;
    int n_images = demo_image_count(d);
    struct media *pool = mh_calloc((size_t)n_images, sizeof(*pool));
    struct arena pool_arena;

    arena_init(&arena, 256 * 1024);
    arena_init(&pool_arena, 0);
    buf_init(&png, NULL, 16 * 1024 * 1024);
    rng_seed(&views, (uint64_t)seed ^ 0x5eed5eedu);
    progress_start(&bar, "creating the demo", "articles", (uint64_t)n_articles);

    /* the pool of lead images goes into the media library first */
    rc = store_begin(s);
    for (int i = 0; rc == MH_OK && i < n_images; i++) {
        struct media meta = {0};
        buf_reset(&png);
        rc = demo_image_png(d, i, &png);
        if (rc)
            break;
        meta.alt = demo_image_alt(d, i, "en", &pool_arena);
        meta.credit = STR_LIT("Illustration: Masthead demo");
        meta.created_at = now;
        rc = media_add_bytes(site, buf_str(&png), &meta, &pool_arena, &pool[i], NULL, err,
                             sizeof(err));
        if (rc)
            fprintf(stderr, "masthead demo: %s\n", err);
    }
    for (int64_t i = 0; rc == MH_OK && i < n_articles; i++) {
        struct article art;
        arena_reset(&arena);
        demo_article(d, i, &arena, &art);
        art.id = FIRST_ID + i;
        for (size_t k = 0; k < art.n_images; k++) {
            const struct media *m = &pool[demo_article_image(d, i)];
            art.images[k].media_id = m->id;
            art.images[k].sha256 = m->sha256;
            art.images[k].path = m->path;
            art.images[k].mime = m->mime;
        }
        rc = store_article_insert(s, &art);
        if (rc) {
            fprintf(stderr, "masthead demo: cannot store article %lld: %s\n", (long long)art.id,
                    store_errmsg(s));
            break;
        }
        if (art.status == ARTICLE_PUBLISHED) {
            top_offer(&top[str_eq_c(art.edition, "zh")], art.id, art.first_published_at, i);
            rc = add_views(s, &views, art.id, art.first_published_at, now);
        }
        if (rc == MH_OK && i % 1000 == 999) {
            rc = store_commit(s);
            if (rc == MH_OK)
                rc = store_begin(s);
        }
        progress_update(&bar, (uint64_t)i + 1);
    }
    progress_end(&bar);
    for (int e = 0; rc == MH_OK && e < 2; e++) {
        struct curation_slot slots[TOP_NEWS] = {0};
        for (int k = 0; k < top[e].n; k++) {
            slots[k].article_id = top[e].id[k];
            slots[k].summary = demo_article_summary(d, top[e].index[k], &arena);
        }
        rc = store_curation_set(s, str_c(specs[e].slug), STR_LIT("top"), slots,
                                (size_t)top[e].n);
    }
    if (rc == MH_OK)
        rc = put_links(s);
    for (size_t e = 0; rc == MH_OK && e < MH_ARRAY_LEN(specs); e++) {
        struct channel *chs;
        size_t n;
        rc = store_channels(s, &arena, str_c(specs[e].slug), &chs, &n);
        for (size_t k = 0; rc == MH_OK && k < n; k++) {
            char slug[128];
            snprintf(slug, sizeof(slug), "%.*s", (int)chs[k].slug.len, chs[k].slug.ptr);
            chs[k].description = demo_channel_description(d, specs[e].lang, slug, &arena);
            rc = store_channel_put(s, &chs[k]);
        }
    }
    if (rc == MH_OK)
        rc = store_audit(s, STR_LIT("cli"), STR_LIT("demo.create"), str_c(dir), STR_NULL,
                         STR_LIT("local"));
    if (rc == MH_OK)
        rc = store_commit(s);
    else
        store_rollback(s);
    if (rc == MH_OK) /* the most-read lists of the views made above */
        rc = site_rankings_refresh(s);

    /* one account per role; the passwords are shown now and never again */
    char passwords[MH_ARRAY_LEN(staff)][20];
    for (size_t k = 0; rc == MH_OK && k < MH_ARRAY_LEN(staff); k++) {
        struct user u = {0};
        char hash[AUTH_HASH_MAX];
        auth_random_password(passwords[k], sizeof(passwords[k]), 16);
        rc = auth_hash_password(str_c(passwords[k]), hash);
        u.login = str_c(staff[k].login);
        u.display_name = demo_person(d, "en", 1000 + (int)k, &arena);
        u.role = staff[k].role;
        if (rc == MH_OK)
            rc = store_user_add(s, &u, hash);
    }
    /* the image sizes of the default theme, so the first page served has them
     * (`masthead serve` would make them in the background anyway) */
    struct media_spec spec;
    size_t made = 0, failed = 0;
    if (rc == MH_OK && media_spec_load(MH_THEME_DIR, &spec, err, sizeof(err)) == MH_OK)
        rc = media_derive_pending(site, s, &spec, 0, NULL, &made, &failed);
    else if (rc == MH_OK)
        fprintf(stderr, "masthead demo: the image sizes are left to 'masthead serve': %s\n",
                err);
    if (rc) {
        fprintf(stderr, "masthead demo: failed: %s\n", store_errmsg(s));
    } else {
        printf("created the demo newspaper in %s: %lld articles, %d images\n", dir,
               (long long)n_articles, n_images);
        printf("newsroom accounts (shown once; change them with 'masthead user passwd'):\n");
        for (size_t k = 0; k < MH_ARRAY_LEN(staff); k++)
            printf("  %-9s %-13s %s\n", staff[k].login, user_role_name(staff[k].role),
                   passwords[k]);
    }
    buf_release(&png);
    arena_release(&arena);
    arena_release(&pool_arena);
    free(pool);
    demo_free(d);
    site_close(site);
    return rc ? 1 : 0;
}
