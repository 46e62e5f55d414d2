/* SPDX-License-Identifier: MIT */
/*
 * text.c - the words of the demo paper: a small grammar expander and the
 * assembly of articles, staff names and channel blurbs from it.  The
 * grammars themselves (the vocabulary and the sentence shapes) live in
 * grammar_en.c and grammar_zh.c; the pictures are png.c's.
 *
 * Grammar format, one item per line:
 *
 *     ; comment
 *     @rule              starts a rule; the lines below are its alternatives
 *     @rule/tag          a variant of RULE used when the article has TAG (a
 *                        field such as "energy" or an angle such as "policy")
 *     @!rule             each alternative at most once per article, then
 *                        nothing (facts that must not repeat)
 *     text {ref} text    an alternative; "~" alone is the empty one
 *
 * and inside an alternative:
 *
 *     {name}         expand rule NAME (its variant for the article's field,
 *                    else for its angle, else the rule itself)
 *     {=name}        sticky: the first expansion is kept and repeated for the
 *                    rest of the article; {=slot:name} keeps it under SLOT,
 *                    and {=slot} repeats it (a bug if SLOT is still unset)
 *     {^name}        capitalise the first letter; {!name} upper-case it all
 *     {+name}        put "a " or "an " in front (English)
 *     {?name}        expand with probability 1/2
 *     {name.2}       the second '|'-separated part of the expansion (the
 *                    vocabulary writes "battery|batteries")
 *     {#lo-hi}       an integer; {#,lo-hi} with thousands commas; {#lo-hi/10}
 *                    tenths ("4.7")
 *     {*slot|a|b}    expand rule A if SLOT is unset, else B (first mention)
 *     \n             a newline
 *
 * Alternatives are drawn uniformly, but within one article a rule gives
 * each of its alternatives once before any repeats, like a shuffled deck.
 * Slots named "m_..." are first-mention flags: they are cleared before the
 * body, so people named in the headline are introduced again in the text.
 * Everything is compiled once in demo_new(); an article then costs a few
 * thousand table lookups and one pass over each paragraph (polish()).
 */
#include "core/compat.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/rng.h"
#include "demo/demo.h"

/*
 * Article tags: the subject field and the angle (from the channel).
 */

enum field {
    F_AI, F_QUANTUM, F_SPACE, F_ENERGY, F_BIO, F_ROBOT,
    F_AGRI, F_CLIMATE, F_MATERIALS, F_CHIPS, F_TRANSPORT, F_DIGITAL,
    FIELD_COUNT
};

enum angle { A_NEWS, A_POLICY, A_COOP, A_PROFILE, A_ANALYSIS, A_CASE, ANGLE_COUNT };

#define TAG_COUNT (FIELD_COUNT + ANGLE_COUNT)

static const char *const tag_names[TAG_COUNT] = {
    "ai", "quantum", "space", "energy", "bio", "robot",
    "agri", "climate", "materials", "chips", "transport", "digital",
    "news", "policy", "coop", "profile", "analysis", "case",
};

static const unsigned char field_motif[FIELD_COUNT] = {
    [F_AI] = DEMO_MOTIF_CIRCUIT,        [F_QUANTUM] = DEMO_MOTIF_ORBITS,
    [F_SPACE] = DEMO_MOTIF_ORBITS,      [F_ENERGY] = DEMO_MOTIF_WAVES,
    [F_BIO] = DEMO_MOTIF_MOLECULES,     [F_ROBOT] = DEMO_MOTIF_NETWORK,
    [F_AGRI] = DEMO_MOTIF_WAVES,        [F_CLIMATE] = DEMO_MOTIF_WAVES,
    [F_MATERIALS] = DEMO_MOTIF_MOLECULES, [F_CHIPS] = DEMO_MOTIF_CIRCUIT,
    [F_TRANSPORT] = DEMO_MOTIF_CHART,   [F_DIGITAL] = DEMO_MOTIF_NETWORK,
};

/*
 * Compiled grammars
 */

enum op_kind { OP_LIT, OP_REF, OP_NUM, OP_COND };

#define OPF_CAP 1u
#define OPF_UPPER 2u
#define OPF_AN 4u
#define OPF_STICKY 8u
#define OPF_OPT 16u
#define OPF_COMMAS 32u
#define OPF_TENTHS 64u

struct op {
    uint8_t kind, flags, part, slot;
    uint32_t a, b; /* LIT: offset, length; REF: rule; NUM: lo, hi; COND: rules */
};

struct alt {
    uint32_t first_op, n_ops;
};

struct rule {
    uint32_t first_alt, n_alts;
    uint32_t name;             /* offset of the name in the pool */
    int32_t variant[TAG_COUNT]; /* rule to use instead under a tag, or -1 */
    bool has_header;           /* an @ line was seen (not only references) */
    bool referenced;
    bool once;                 /* @!rule: no alternative twice in an article */
};

#define MAX_SLOTS 64
#define MAX_ALTS 8192 /* bits in a context's used-alternative set */
#define MAX_RULES 2048
#define MAX_DEPTH 24
#define HASH_SIZE 4096

/* Rules text.c calls by name. */
enum entry {
    E_HEADLINE, E_SUBTITLE, E_KICKER, E_ABSTRACT, E_SUMMARY, E_CAPTION, E_KEYWORD,
    E_SUBHEAD, E_LEDE, E_DETAIL, E_CONTEXT, E_QUOTE_LEAD, E_QUOTE_AGAIN, E_QUOTE_EXPERT,
    E_QUOTE_OFFICIAL, E_LIST, E_BOLD, E_OUTLOOK, E_SHORT, E_TINY, E_CHANNEL_DESC,
    ENTRY_COUNT
};

static const char *const entry_names[ENTRY_COUNT] = {
    "headline", "subtitle", "kicker", "abstract", "summary", "caption", "keyword",
    "subhead", "p_lede", "p_detail", "p_context", "p_quote_lead", "p_quote_again",
    "p_quote_expert", "p_quote_official", "p_list", "p_bold", "p_outlook", "s_short",
    "s_tiny", "channel_desc",
};

struct grammar {
    bool zh;
    char *pool; /* literal bytes and names */
    size_t pool_len, pool_cap;
    struct op *ops;
    size_t n_ops, ops_cap;
    struct alt *alts;
    size_t n_alts, alts_cap;
    struct rule *rules;
    size_t n_rules, rules_cap;
    int32_t hash[HASH_SIZE];
    uint32_t slot_name[MAX_SLOTS];
    int n_slots;
    uint64_t mention_mask; /* slots named "m_...": first-mention flags */
    int32_t entry[ENTRY_COUNT];
};

struct demo {
    struct demo_params p;
    struct grammar en, zh;
    int n_reporters, n_editors;
    int share_total;
    uint64_t person_mul, person_add; /* the person-number permutation */
};

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint32_t pool_add(struct grammar *g, const char *s, size_t n)
{
    if (g->pool_len + n + 1 > g->pool_cap) {
        while (g->pool_len + n + 1 > g->pool_cap)
            g->pool_cap = g->pool_cap ? g->pool_cap * 2 : 65536;
        g->pool = mh_realloc(g->pool, g->pool_cap);
    }
    uint32_t off = (uint32_t)g->pool_len;
    memcpy(g->pool + g->pool_len, s, n);
    g->pool_len += n;
    return off;
}

#define GROW(arr, n, cap)                                                                          \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap) * 2 : 256;                                                       \
            (arr) = mh_realloc((arr), (cap) * sizeof(*(arr)));                                     \
        }                                                                                          \
    } while (0)

static uint32_t name_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static const char *rule_name(const struct grammar *g, uint32_t r)
{
    return g->pool + g->rules[r].name;
}

/* The rule called NAME (N bytes), created on first sight. */
static uint32_t rule_id(struct grammar *g, const char *name, size_t n)
{
    uint32_t h = name_hash(name, n) & (HASH_SIZE - 1);
    for (;; h = (h + 1) & (HASH_SIZE - 1)) {
        int32_t r = g->hash[h];
        if (r < 0)
            break;
        const char *have = rule_name(g, (uint32_t)r);
        if (strlen(have) == n && memcmp(have, name, n) == 0)
            return (uint32_t)r;
    }
    if (g->n_rules >= MAX_RULES)
        MH_BUG("demo grammar has too many rules");
    GROW(g->rules, g->n_rules, g->rules_cap);
    struct rule *r = &g->rules[g->n_rules];
    memset(r, 0, sizeof(*r));
    r->name = pool_add(g, name, n);
    pool_add(g, "", 1); /* the NUL */
    for (int t = 0; t < TAG_COUNT; t++)
        r->variant[t] = -1;
    g->hash[h] = (int32_t)g->n_rules;
    return (uint32_t)g->n_rules++;
}

static int slot_id(struct grammar *g, const char *name, size_t n)
{
    for (int s = 0; s < g->n_slots; s++) {
        const char *have = g->pool + g->slot_name[s];
        if (strlen(have) == n && memcmp(have, name, n) == 0)
            return s;
    }
    if (g->n_slots == MAX_SLOTS)
        MH_BUG("demo grammar has too many sticky slots");
    g->slot_name[g->n_slots] = pool_add(g, name, n);
    pool_add(g, "", 1);
    if (n > 2 && name[0] == 'm' && name[1] == '_')
        g->mention_mask |= (uint64_t)1 << g->n_slots;
    return g->n_slots++;
}

static bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static struct op *new_op(struct grammar *g, enum op_kind kind)
{
    GROW(g->ops, g->n_ops, g->ops_cap);
    struct op *o = &g->ops[g->n_ops++];
    memset(o, 0, sizeof(*o));
    o->kind = (uint8_t)kind;
    return o;
}

static int64_t parse_int(const char **p, const char *end)
{
    int64_t v = 0;
    if (*p >= end || **p < '0' || **p > '9')
        return -1;
    while (*p < end && **p >= '0' && **p <= '9')
        v = v * 10 + (*(*p)++ - '0');
    return v;
}

/* Compile one reference {...} between P and END (the braces excluded). */
static void compile_ref(struct grammar *g, const char *p, const char *end, int line)
{
    const char *start = p;
    if (*p == '#') {
        struct op *o = new_op(g, OP_NUM);
        p++;
        if (p < end && *p == ',') {
            o->flags |= OPF_COMMAS;
            p++;
        }
        int64_t lo = parse_int(&p, end), hi = -1;
        if (p < end && *p == '-') {
            p++;
            hi = parse_int(&p, end);
        }
        if (p < end && *p == '/' && end - p == 3 && memcmp(p, "/10", 3) == 0) {
            o->flags |= OPF_TENTHS;
            p = end;
        }
        if (lo < 0 || hi < lo || hi > 2000000000 || p != end)
            MH_BUG("demo grammar line %d: bad number {%.*s}", line, (int)(end - start), start);
        o->a = (uint32_t)lo;
        o->b = (uint32_t)hi;
        return;
    }
    if (*p == '*') {
        const char *bar1 = memchr(p, '|', (size_t)(end - p));
        const char *bar2 = bar1 ? memchr(bar1 + 1, '|', (size_t)(end - bar1 - 1)) : NULL;
        if (bar2 == NULL)
            MH_BUG("demo grammar line %d: bad condition {%.*s}", line, (int)(end - start), start);
        struct op *o = new_op(g, OP_COND);
        o->slot = (uint8_t)slot_id(g, p + 1, (size_t)(bar1 - p - 1));
        uint32_t ra = rule_id(g, bar1 + 1, (size_t)(bar2 - bar1 - 1));
        uint32_t rb = rule_id(g, bar2 + 1, (size_t)(end - bar2 - 1));
        g->rules[ra].referenced = g->rules[rb].referenced = true;
        o = &g->ops[g->n_ops - 1]; /* rule_id() may not move ops, but be plain */
        o->a = ra;
        o->b = rb;
        return;
    }
    unsigned flags = 0;
    for (; p < end; p++) {
        if (*p == '^')
            flags |= OPF_CAP;
        else if (*p == '!')
            flags |= OPF_UPPER;
        else if (*p == '+')
            flags |= OPF_AN;
        else if (*p == '=')
            flags |= OPF_STICKY;
        else if (*p == '?')
            flags |= OPF_OPT;
        else
            break;
    }
    const char *name = p;
    while (p < end && is_name_char(*p))
        p++;
    const char *slot = NULL;
    size_t slot_len = 0;
    if (p < end && *p == ':' && (flags & OPF_STICKY)) {
        slot = name;
        slot_len = (size_t)(p - name);
        name = ++p;
        while (p < end && is_name_char(*p))
            p++;
    }
    size_t name_len = (size_t)(p - name);
    int part = 0;
    if (p < end && *p == '.') {
        p++;
        int64_t v = parse_int(&p, end);
        if (v < 1 || v > 15)
            MH_BUG("demo grammar line %d: bad part in {%.*s}", line, (int)(end - start), start);
        part = (int)v;
    }
    if (name_len == 0 || p != end)
        MH_BUG("demo grammar line %d: bad reference {%.*s}", line, (int)(end - start), start);
    int slot_no = 0;
    if (flags & OPF_STICKY)
        slot_no = slot ? slot_id(g, slot, slot_len) : slot_id(g, name, name_len);
    uint32_t r = rule_id(g, name, name_len);
    if (!(flags & OPF_STICKY) || slot)
        g->rules[r].referenced = true; /* {=name} may only repeat slot NAME */
    struct op *o = new_op(g, OP_REF);
    o->flags = (uint8_t)flags;
    o->part = (uint8_t)part;
    o->slot = (uint8_t)slot_no;
    o->a = r;
}

/* Compile one alternative, the line between P and END. */
static void compile_alt(struct grammar *g, const char *p, const char *end, int line)
{
    GROW(g->alts, g->n_alts, g->alts_cap);
    struct alt *a = &g->alts[g->n_alts++];
    a->first_op = (uint32_t)g->n_ops;
    if (end - p == 1 && *p == '~') {
        a->n_ops = 0;
        return;
    }
    struct op *lit = NULL;
    while (p < end) {
        if (*p == '{') {
            const char *close = memchr(p, '}', (size_t)(end - p));
            if (close == NULL || close == p + 1)
                MH_BUG("demo grammar line %d: unclosed or empty {", line);
            compile_ref(g, p + 1, close, line);
            lit = NULL;
            p = close + 1;
            continue;
        }
        if (*p == '}')
            MH_BUG("demo grammar line %d: stray }", line);
        char c = *p++;
        if (c == '\\' && p < end && *p == 'n') {
            c = '\n';
            p++;
        }
        if (lit == NULL) {
            lit = new_op(g, OP_LIT);
            lit->a = (uint32_t)g->pool_len;
        }
        pool_add(g, &c, 1);
        lit->b++;
    }
    g->alts[g->n_alts - 1].n_ops = (uint32_t)(g->n_ops - g->alts[g->n_alts - 1].first_op);
}

static int tag_id(const char *s, size_t n)
{
    for (int t = 0; t < TAG_COUNT; t++)
        if (strlen(tag_names[t]) == n && memcmp(tag_names[t], s, n) == 0)
            return t;
    return -1;
}

static void compile_text(struct grammar *g, const char *text)
{
    const char *p = text;
    int line = 0;
    int32_t cur = -1;
    while (*p) {
        const char *eol = strchr(p, '\n');
        if (eol == NULL)
            eol = p + strlen(p);
        line++;
        const char *end = eol;
        while (end > p && end[-1] == ' ')
            end--;
        if (end == p || *p == ';') {
            /* blank or comment */
        } else if (*p == '@') {
            bool once = p + 1 < end && p[1] == '!';
            const char *name = p + 1 + once, *q = name;
            while (q < end && is_name_char(*q))
                q++;
            uint32_t base = rule_id(g, name, (size_t)(q - name));
            uint32_t r = base;
            if (q < end && *q == '/') {
                int t = tag_id(q + 1, (size_t)(end - q - 1));
                if (t < 0)
                    MH_BUG("demo grammar line %d: unknown tag in %.*s", line, (int)(end - p), p);
                r = rule_id(g, name, (size_t)(end - name)); /* "name/tag" */
                g->rules[base].variant[t] = (int32_t)r;
            } else if (q != end) {
                MH_BUG("demo grammar line %d: bad rule name %.*s", line, (int)(end - p), p);
            }
            if (g->rules[r].has_header)
                MH_BUG("demo grammar line %d: rule %s defined twice", line, rule_name(g, r));
            g->rules[r].has_header = true;
            g->rules[r].once = once;
            g->rules[r].first_alt = (uint32_t)g->n_alts;
            cur = (int32_t)r;
        } else {
            if (cur < 0)
                MH_BUG("demo grammar line %d: alternative outside a rule", line);
            compile_alt(g, p, end, line);
            g->rules[cur].n_alts++;
        }
        p = *eol ? eol + 1 : eol;
    }
}

/* True when R can always be expanded: it has alternatives, or a variant
 * under every field tag, or under every angle tag. */
static bool rule_usable(const struct grammar *g, uint32_t r)
{
    const struct rule *ru = &g->rules[r];
    if (ru->n_alts > 0)
        return true;
    bool fields = true, angles = true;
    for (int t = 0; t < TAG_COUNT; t++) {
        bool ok = ru->variant[t] >= 0 && g->rules[ru->variant[t]].n_alts > 0;
        if (t < FIELD_COUNT)
            fields &= ok;
        else
            angles &= ok;
    }
    return fields || angles;
}

/* Names of people, shared by demo_person() and the grammars. */
struct syllable {
    const char *py, *han;
};

static const struct syllable surnames[] = {
    {"Wang", "王"}, {"Li", "李"}, {"Zhang", "张"}, {"Liu", "刘"}, {"Chen", "陈"},
    {"Yang", "杨"}, {"Huang", "黄"}, {"Zhao", "赵"}, {"Wu", "吴"}, {"Zhou", "周"},
    {"Xu", "徐"}, {"Sun", "孙"}, {"Ma", "马"}, {"Zhu", "朱"}, {"Hu", "胡"},
    {"Guo", "郭"}, {"He", "何"}, {"Lin", "林"}, {"Gao", "高"}, {"Luo", "罗"},
    {"Zheng", "郑"}, {"Liang", "梁"}, {"Xie", "谢"}, {"Song", "宋"}, {"Tang", "唐"},
    {"Han", "韩"}, {"Feng", "冯"}, {"Deng", "邓"}, {"Cao", "曹"}, {"Peng", "彭"},
    {"Zeng", "曾"}, {"Xiao", "肖"}, {"Tian", "田"}, {"Dong", "董"}, {"Yuan", "袁"},
    {"Pan", "潘"}, {"Yu", "于"}, {"Jiang", "蒋"}, {"Cai", "蔡"}, {"Du", "杜"},
    {"Ye", "叶"}, {"Cheng", "程"}, {"Su", "苏"}, {"Wei", "魏"}, {"Lyu", "吕"},
    {"Ding", "丁"}, {"Ren", "任"}, {"Shen", "沈"}, {"Yao", "姚"}, {"Lu", "陆"},
    {"Cui", "崔"}, {"Zhong", "钟"}, {"Tan", "谭"}, {"Fan", "范"}, {"Jin", "金"},
    {"Shi", "石"}, {"Liao", "廖"}, {"Jia", "贾"}, {"Xia", "夏"}, {"Fang", "方"},
    {"Bai", "白"}, {"Zou", "邹"}, {"Meng", "孟"}, {"Xiong", "熊"}, {"Qin", "秦"},
    {"Qiu", "邱"}, {"Yin", "尹"}, {"Xue", "薛"}, {"Yan", "严"}, {"Duan", "段"},
    {"Lei", "雷"}, {"Hou", "侯"}, {"Long", "龙"}, {"Tao", "陶"}, {"Gu", "顾"},
    {"Mao", "毛"}, {"Hao", "郝"}, {"Gong", "龚"}, {"Shao", "邵"}, {"Wan", "万"},
    {"Qian", "钱"}, {"Dai", "戴"}, {"Mo", "莫"}, {"Kong", "孔"}, {"Xiang", "向"},
    {"Chang", "常"}, {"Kang", "康"}, {"Ning", "宁"}, {"Lan", "蓝"}, {"Zhan", "詹"},
};

static const struct syllable given[] = {
    {"xiao", "晓"}, {"ming", "明"}, {"hua", "华"}, {"li", "丽"}, {"wei", "伟"},
    {"fang", "芳"}, {"jing", "静"}, {"lei", "磊"}, {"yang", "洋"}, {"yong", "勇"},
    {"jun", "军"}, {"jie", "杰"}, {"tao", "涛"}, {"ting", "婷"}, {"xue", "雪"},
    {"lin", "琳"}, {"yu", "宇"}, {"hao", "浩"}, {"xin", "欣"}, {"ran", "然"},
    {"si", "思"}, {"jia", "佳"}, {"zi", "子"}, {"wen", "文"}, {"bo", "博"},
    {"shi", "诗"}, {"meng", "梦"}, {"chen", "晨"}, {"yao", "瑶"}, {"peng", "鹏"},
    {"fei", "飞"}, {"kai", "凯"}, {"yue", "悦"}, {"tong", "彤"}, {"xuan", "萱"},
    {"ze", "泽"}, {"rui", "睿"}, {"hang", "航"}, {"nan", "楠"}, {"qing", "清"},
    {"lan", "岚"}, {"shan", "珊"}, {"feng", "峰"}, {"zhi", "志"}, {"guo", "国"},
    {"chun", "春"}, {"qiu", "秋"}, {"dong", "冬"}, {"hai", "海"}, {"ning", "宁"},
    {"qi", "启"}, {"jian", "健"}, {"liang", "亮"}, {"hui", "慧"}, {"min", "敏"},
    {"ying", "颖"}, {"qian", "倩"}, {"fan", "帆"}, {"yuan", "远"}, {"zhen", "振"},
    {"zhe", "哲"}, {"bin", "彬"}, {"xi", "曦"}, {"han", "晗"}, {"shu", "舒"},
    {"rong", "蓉"}, {"lu", "璐"}, {"yun", "云"}, {"song", "松"}, {"bai", "柏"},
    {"le", "乐"}, {"ke", "可"}, {"de", "德"}, {"tian", "天"}, {"cheng", "成"},
    {"ping", "平"}, {"xiu", "秀"}, {"yi", "逸"}, {"yan", "妍"}, {"chao", "超"},
};

#define N_SURNAMES ((int)MH_ARRAY_LEN(surnames))
#define N_GIVEN ((int)MH_ARRAY_LEN(given))

/* The name rules the grammars share with demo_person(), as grammar text. */
static void name_rules(struct buf *b)
{
    buf_adds(b, "\n@sur\n");
    for (int i = 0; i < N_SURNAMES; i++)
        buf_addf(b, "%s\n", surnames[i].py);
    buf_adds(b, "@gsyl\n");
    for (int i = 0; i < N_GIVEN; i++)
        buf_addf(b, "%s\n", given[i].py);
    buf_adds(b, "@given\n{^gsyl}{gsyl}\n{^gsyl}{gsyl}\n{^gsyl}{gsyl}\n{^gsyl}{gsyl}\n{^gsyl}\n");
    buf_adds(b, "@cnsur\n");
    for (int i = 0; i < N_SURNAMES; i++)
        buf_addf(b, "%s\n", surnames[i].han);
    buf_adds(b, "@cnchar\n");
    for (int i = 0; i < N_GIVEN; i++)
        buf_addf(b, "%s\n", given[i].han);
    buf_adds(b, "@cngiv\n{cnchar}{cnchar}\n{cnchar}{cnchar}\n{cnchar}{cnchar}\n{cnchar}\n");
}

static void grammar_compile(struct grammar *g, const char *text, bool zh)
{
    memset(g, 0, sizeof(*g));
    g->zh = zh;
    for (int h = 0; h < HASH_SIZE; h++)
        g->hash[h] = -1;
    struct buf names;
    buf_init(&names, NULL, MH_MIB);
    name_rules(&names);
    if (names.err)
        MH_BUG("demo name tables do not fit");
    compile_text(g, text);
    compile_text(g, names.data);
    buf_release(&names);
    if (g->n_alts > MAX_ALTS || g->n_rules > MAX_RULES)
        MH_BUG("demo grammar has %zu alternatives, more than %d", g->n_alts, MAX_ALTS);
    for (size_t r = 0; r < g->n_rules; r++) {
        const struct rule *ru = &g->rules[r];
        if (ru->referenced && !rule_usable(g, (uint32_t)r))
            MH_BUG("demo grammar (%s): rule %s is used but has no alternatives", zh ? "zh" : "en",
                   rule_name(g, (uint32_t)r));
    }
    for (int e = 0; e < ENTRY_COUNT; e++) {
        uint32_t r = rule_id(g, entry_names[e], strlen(entry_names[e]));
        if (!rule_usable(g, r))
            MH_BUG("demo grammar (%s) lacks rule %s", zh ? "zh" : "en", entry_names[e]);
        g->entry[e] = (int32_t)r;
    }
}

static void grammar_release(struct grammar *g)
{
    free(g->pool);
    free(g->ops);
    free(g->alts);
    free(g->rules);
}

/*
 * Expansion
 */

#define SLOT_TEXT 4096

struct ctx {
    const struct grammar *g;
    struct rng rng;
    int field, angle;
    uint64_t slot_set;
    struct {
        uint16_t off, len;
    } slot[MAX_SLOTS];
    size_t slot_used;
    char slot_text[SLOT_TEXT];
    uint64_t used[MAX_ALTS / 64];
    uint16_t last[MAX_RULES]; /* 1 + the alternative a rule gave last, or 0 */
};

static void ctx_init(struct ctx *c, const struct grammar *g, uint64_t seed, int field, int angle)
{
    c->g = g;
    rng_seed(&c->rng, seed);
    c->field = field;
    c->angle = angle;
    c->slot_set = 0;
    c->slot_used = 0;
    memset(c->used, 0, (g->n_alts + 63) / 64 * sizeof(uint64_t));
    memset(c->last, 0, g->n_rules * sizeof(uint16_t));
}

static uint32_t resolve(const struct ctx *c, uint32_t r)
{
    const struct rule *ru = &c->g->rules[r];
    if (ru->variant[c->field] >= 0)
        return (uint32_t)ru->variant[c->field];
    if (ru->variant[FIELD_COUNT + c->angle] >= 0)
        return (uint32_t)ru->variant[FIELD_COUNT + c->angle];
    return r;
}

static bool is_used(const struct ctx *c, uint32_t a)
{
    return c->used[a / 64] >> (a % 64) & 1;
}

#define NO_ALT UINT32_MAX

/* Draw an alternative of RU, not one this article has used while others
 * remain; once all are used, start over (a shuffle without the deck), or
 * return NO_ALT for a once-only rule. */
static uint32_t pick(struct ctx *c, uint32_t r, const struct rule *ru)
{
    uint32_t n = ru->n_alts;
    if (n <= 1 && !ru->once)
        return ru->first_alt;
    uint32_t k = rng_below(&c->rng, n), a = ru->first_alt + k;
    if (is_used(c, a)) {
        uint32_t j = 1;
        while (j < n && is_used(c, ru->first_alt + (k + j) % n))
            j++;
        if (j == n) {
            if (ru->once)
                return NO_ALT;
            for (uint32_t m = 0; m < n; m++) {
                uint32_t b = ru->first_alt + m;
                c->used[b / 64] &= ~((uint64_t)1 << (b % 64));
            }
            if (a - ru->first_alt + 1 == c->last[r])
                a = ru->first_alt + (k + 1) % n; /* not the one just given */
        } else {
            a = ru->first_alt + (k + j) % n;
        }
    }
    c->used[a / 64] |= (uint64_t)1 << (a % 64);
    c->last[r] = (uint16_t)(a - ru->first_alt + 1);
    return a;
}

static bool is_lower(char ch)
{
    return ch >= 'a' && ch <= 'z';
}

static bool is_upper(char ch)
{
    return ch >= 'A' && ch <= 'Z';
}

static char lower(char ch)
{
    return is_upper(ch) ? (char)(ch - 'A' + 'a') : ch;
}

/* "a" or "an" before WORD (English). */
static bool wants_an(const char *w, size_t n)
{
    if (n == 0)
        return false;
    char c0 = w[0], c1 = n > 1 ? w[1] : ' ';
    if (n >= 4 && memcmp(w, "RISC", 4) == 0)
        return false; /* said as a word: a RISC-V chip */
    if ((is_upper(c0) || is_lower(c0)) && (is_upper(c1) || (c1 >= '0' && c1 <= '9') || c1 == '-'))
        return strchr("aefhilmnosx", lower(c0)) != NULL; /* an AI model, an mRNA vaccine */
    c0 = lower(c0);
    if (n >= 3 && (memcmp(w, "uni", 3) == 0 || memcmp(w, "use", 3) == 0 ||
                   memcmp(w, "usu", 3) == 0 || memcmp(w, "one", 3) == 0 ||
                   memcmp(w, "eur", 3) == 0 || memcmp(w, "Uni", 3) == 0 ||
                   memcmp(w, "Eur", 3) == 0 || memcmp(w, "One", 3) == 0))
        return false;
    if (n >= 4 && (memcmp(w, "hour", 4) == 0 || memcmp(w, "hone", 4) == 0))
        return true;
    if (c0 >= '0' && c0 <= '9')
        return c0 == '8' || (c0 == '1' && n > 1 && w[1] == '8' && (n == 2 || w[2] < '0' ||
                                                                    w[2] > '9'));
    return strchr("aeiou", c0) != NULL;
}

static void expand(struct ctx *c, struct buf *out, uint32_t r, int depth);

static void add_number(struct buf *out, const struct op *o, struct rng *rng)
{
    int64_t v = rng_range(rng, o->a, o->b);
    char tmp[32];
    int n;
    if (o->flags & OPF_TENTHS) {
        n = snprintf(tmp, sizeof(tmp), "%d.%d", (int)(v / 10), (int)(v % 10));
    } else if ((o->flags & OPF_COMMAS) && v >= 1000) {
        if (v >= 1000000)
            n = snprintf(tmp, sizeof(tmp), "%d,%03d,%03d", (int)(v / 1000000),
                         (int)(v / 1000 % 1000), (int)(v % 1000));
        else
            n = snprintf(tmp, sizeof(tmp), "%d,%03d", (int)(v / 1000), (int)(v % 1000));
    } else {
        n = snprintf(tmp, sizeof(tmp), "%d", (int)v);
    }
    buf_add(out, tmp, (size_t)n);
}

/* Keep only the PART-th '|'-separated piece of OUT from START on. */
static void select_part(struct buf *out, size_t start, int part)
{
    char *s = out->data + start, *end = out->data + out->len;
    for (int k = 1; k < part; k++) {
        char *bar = memchr(s, '|', (size_t)(end - s));
        if (bar == NULL)
            break; /* fewer parts: keep the last */
        s = bar + 1;
    }
    char *bar = memchr(s, '|', (size_t)(end - s));
    size_t n = (size_t)((bar ? bar : end) - s);
    memmove(out->data + start, s, n);
    buf_truncate(out, start + n);
}

static void apply_ref(struct ctx *c, struct buf *out, const struct op *o, int depth)
{
    if ((o->flags & OPF_OPT) && rng_below(&c->rng, 2))
        return;
    size_t start = out->len;
    uint64_t bit = (uint64_t)1 << o->slot;
    if ((o->flags & OPF_STICKY) && (c->slot_set & bit)) {
        buf_add(out, c->slot_text + c->slot[o->slot].off, c->slot[o->slot].len);
    } else {
        expand(c, out, o->a, depth + 1);
        if ((o->flags & OPF_STICKY) && out->err == MH_OK) {
            size_t n = out->len - start;
            if (c->slot_used + n > SLOT_TEXT)
                MH_BUG("demo sticky text overflows");
            memcpy(c->slot_text + c->slot_used, out->data + start, n);
            c->slot[o->slot].off = (uint16_t)c->slot_used;
            c->slot[o->slot].len = (uint16_t)n;
            c->slot_used += n;
            c->slot_set |= bit;
        }
    }
    if (out->err || out->len == start)
        return;
    if (o->part)
        select_part(out, start, o->part);
    char *s = out->data + start;
    size_t n = out->len - start;
    if (o->flags & OPF_UPPER) {
        for (size_t k = 0; k < n; k++)
            if (is_lower(s[k]))
                s[k] = (char)(s[k] - 'a' + 'A');
    } else if ((o->flags & OPF_CAP) && n && is_lower(s[0])) {
        s[0] = (char)(s[0] - 'a' + 'A');
    }
    if (o->flags & OPF_AN) {
        const char *art = wants_an(s, n) ? "an " : "a ";
        size_t al = strlen(art);
        if (buf_reserve(out, al) == NULL)
            return;
        memmove(out->data + start + al, out->data + start, n);
        memcpy(out->data + start, art, al);
        buf_commit(out, al);
    }
}

static void expand(struct ctx *c, struct buf *out, uint32_t r, int depth)
{
    const struct grammar *g = c->g;
    if (depth > MAX_DEPTH)
        MH_BUG("demo grammar recursion through %s", rule_name(g, r));
    r = resolve(c, r);
    const struct rule *ru = &g->rules[r];
    if (ru->n_alts == 0)
        MH_BUG("demo grammar: rule %s has no alternative for tags %s/%s", rule_name(g, r),
               tag_names[c->field], tag_names[FIELD_COUNT + c->angle]);
    uint32_t chosen = pick(c, r, ru);
    if (chosen == NO_ALT)
        return;
    const struct alt *a = &g->alts[chosen];
    for (uint32_t k = 0; k < a->n_ops; k++) {
        const struct op *o = &g->ops[a->first_op + k];
        switch (o->kind) {
        case OP_LIT:
            buf_add(out, g->pool + o->a, o->b);
            break;
        case OP_NUM:
            add_number(out, o, &c->rng);
            break;
        case OP_REF:
            apply_ref(c, out, o, depth);
            break;
        case OP_COND:
            expand(c, out, (c->slot_set >> o->slot & 1) ? o->b : o->a, depth + 1);
            break;
        }
    }
}

static void expand_entry(struct ctx *c, struct buf *out, enum entry e)
{
    expand(c, out, (uint32_t)c->g->entry[e], 0);
}

/*
 * Text fix-ups
 */

static bool is_minor_word(const char *w, size_t n)
{
    static const char *const minor[] = {"a", "an", "the", "and", "or", "but", "of", "in",
                                        "on", "at", "to", "for", "by", "as", "via", "from",
                                        "with", "into", "over", "nor", "per", "vs"};
    for (size_t i = 0; i < MH_ARRAY_LEN(minor); i++)
        if (strlen(minor[i]) == n && memcmp(minor[i], w, n) == 0)
            return true;
    return false;
}

/* Title Case for English headlines: every word but the minor ones (unless
 * first or last) gets a capital; each part of a hyphenated word too; words
 * with capitals inside ("mRNA") are left alone. */
static void title_case(char *s, size_t n)
{
    size_t k = 0;
    bool first = true;
    while (k < n) {
        while (k < n && s[k] == ' ')
            k++;
        size_t w = k;
        while (k < n && s[k] != ' ')
            k++;
        if (k == w)
            break;
        bool inner_caps = false;
        for (size_t j = w + 1; j < k; j++)
            if (is_upper(s[j]) && s[j - 1] != '-')
                inner_caps = true;
        bool last = k >= n;
        size_t wl = k - w;
        if (inner_caps || (!first && !last && is_minor_word(s + w, wl))) {
            first = false;
            continue;
        }
        for (size_t j = w; j < k; j++)
            if (is_lower(s[j]) && (j == w || s[j - 1] == '-' || s[j - 1] == '"' ||
                                   (unsigned char)s[j - 1] == 0x9C))
                s[j] = (char)(s[j] - 'a' + 'A');
        first = false;
    }
}

static bool is_alnum(unsigned char ch)
{
    return (unsigned)((ch | 0x20) - 'a') < 26 || (unsigned)(ch - '0') < 10;
}

/* True when the UTF-8 sequence at S (N bytes left) is a Han character
 * (U+3400..U+9FFF: lead byte E4..E9, or E3 with a second byte >= 0x90). */
static bool is_han(const unsigned char *s, size_t n)
{
    return n >= 3 && ((s[0] >= 0xE4 && s[0] <= 0xE9) || (s[0] == 0xE3 && s[1] >= 0x90));
}

/*
 * Count words (English: runs of non-space bytes holding a letter or digit)
 * or units (Chinese: Han characters plus Latin words) in S.
 */
static int count_units(bool zh, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    int units = 0;
    bool counted = false; /* the current word has been counted */
    for (size_t k = 0; k < n; k++) {
        unsigned char ch = s[k];
        if (ch == ' ' || ch == '\n') {
            counted = false;
        } else if (ch < 0x80) {
            if (is_alnum(ch)) {
                units += !counted;
                counted = true;
            } else if (zh && ch != '-' && ch != '\'') {
                counted = false;
            }
        } else if (zh) {
            counted = false;
            if (is_han(s + k, n - k)) {
                units++;
                k += 2;
            }
        }
    }
    return units;
}

/*
 * One pass over text just generated at B[START..]: collapse runs of spaces
 * and drop spaces at line ends and at the end (empty alternatives leave
 * them), capitalise the first letter of every sentence when CAPS (after the
 * start, a newline, or ". ", "? ", "! "; markers, opening quotes and
 * asterisks in between are skipped), and return the units as count_units()
 * would.
 */
static int polish(struct buf *b, size_t start, bool zh, bool caps)
{
    if (b->err)
        return 0;
    unsigned char *s = (unsigned char *)b->data;
    size_t w = start, n = b->len;
    bool at_start = caps, counted = false;
    int units = 0;
    for (size_t r = start; r < n; r++) {
        unsigned char ch = s[r];
        if (ch == ' ') {
            counted = false;
            if (w == start || s[w - 1] == ' ' || s[w - 1] == '\n')
                continue;
            s[w++] = ' ';
            continue;
        }
        if (ch == '\n') {
            counted = false;
            if (w > start && s[w - 1] == ' ')
                w--;
            s[w++] = ch;
            at_start = caps;
            continue;
        }
        if (ch < 0x80) {
            if (is_alnum(ch)) {
                if (at_start && is_lower((char)ch))
                    ch = (unsigned char)(ch - 'a' + 'A');
                at_start = false;
                units += !counted;
                counted = true;
            } else {
                if (zh && ch != '-' && ch != '\'')
                    counted = false;
                if ((ch == '.' || ch == '?' || ch == '!') && r + 1 < n && s[r + 1] == ' ')
                    at_start = caps;
                else if (ch != '*' && ch != '#' && ch != '-' && ch != '"')
                    at_start = false;
            }
            s[w++] = ch;
            continue;
        }
        /* a multi-byte character: copied whole */
        size_t len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
        if (len > n - r)
            len = n - r;
        if (zh) {
            counted = false;
            units += is_han(s + r, n - r);
        }
        if (!(len == 3 && ch == 0xE2 && s[r + 1] == 0x80 && s[r + 2] == 0x9C))
            at_start = false; /* an opening curly quote keeps the start */
        for (size_t k = 0; k < len; k++)
            s[w + k] = s[r + k]; /* w <= r: a forward copy is safe */
        w += len;
        r += len - 1;
    }
    while (w > start && s[w - 1] == ' ')
        w--;
    buf_truncate(b, w);
    return units;
}

static bool lang_is_zh(const char *lang)
{
    return lang && lang[0] == 'z' && lang[1] == 'h';
}

int demo_count_words(const char *lang, struct str body)
{
    bool zh = lang_is_zh(lang);
    int u = count_units(zh, body.ptr, body.len);
    return zh ? u / 2 : u;
}

static int utf8_chars(const char *s, size_t n)
{
    int c = 0;
    for (size_t k = 0; k < n; k++)
        if (((unsigned char)s[k] & 0xC0) != 0x80)
            c++;
    return c;
}

/*
 * The demo object
 */

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

#define PERSON_SPACE ((uint64_t)N_SURNAMES * N_GIVEN * N_GIVEN)

struct demo *demo_new(const struct demo_params *p)
{
    if (p->n_editions == 0 || p->editions == NULL)
        MH_BUG("demo needs at least one edition");
    struct demo *d = mh_calloc(1, sizeof(*d));
    d->p = *p;
    if (d->p.min_words < DEMO_MIN_WORDS)
        d->p.min_words = DEMO_MIN_WORDS;
    if (d->p.min_words > DEMO_MAX_WORDS - DEMO_WORD_SLACK)
        d->p.min_words = DEMO_MAX_WORDS - DEMO_WORD_SLACK;
    if (d->p.max_words > DEMO_MAX_WORDS)
        d->p.max_words = DEMO_MAX_WORDS;
    if (d->p.max_words < d->p.min_words + DEMO_WORD_SLACK)
        d->p.max_words = d->p.min_words + DEMO_WORD_SLACK;
    d->n_reporters = p->n_reporters > 0 ? p->n_reporters : 24;
    d->n_editors = p->n_editors > 0 ? p->n_editors : 6;
    if (d->n_reporters > 400)
        d->n_reporters = 400;
    if (d->n_editors > 100)
        d->n_editors = 100;
    for (size_t e = 0; e < p->n_editions; e++) {
        const struct demo_edition_spec *s = &p->editions[e];
        if (s->slug == NULL || s->n_channels == 0 || s->channels == NULL)
            MH_BUG("demo edition %zu needs a slug and channels", e);
        d->share_total += s->share > 0 ? s->share : 1;
    }
    /* person k -> (k * mul + add) mod PERSON_SPACE is a bijection */
    uint64_t mul = (mix64(p->seed ^ 0x5EED) % PERSON_SPACE) | 1;
    while (gcd64(mul, PERSON_SPACE) != 1)
        mul += 2;
    d->person_mul = mul;
    d->person_add = mix64(p->seed + 7) % PERSON_SPACE;
    grammar_compile(&d->en, demo_grammar_en, false);
    grammar_compile(&d->zh, demo_grammar_zh, true);
    return d;
}

void demo_free(struct demo *d)
{
    if (d == NULL)
        return;
    grammar_release(&d->en);
    grammar_release(&d->zh);
    free(d);
}

uint64_t demo_seed(const struct demo *d)
{
    return d->p.seed;
}

/*
 * People
 */

struct str demo_person(const struct demo *d, const char *lang, int k, struct arena *arena)
{
    uint64_t x = ((uint64_t)(k < 0 ? -(int64_t)k : k) % PERSON_SPACE * d->person_mul +
                  d->person_add) % PERSON_SPACE;
    int s = (int)(x % N_SURNAMES);
    x /= N_SURNAMES;
    int g1 = (int)(x % N_GIVEN), g2 = (int)(x / N_GIVEN);
    char tmp[64];
    int n;
    if (lang_is_zh(lang)) {
        n = snprintf(tmp, sizeof(tmp), "%s%s%s", surnames[s].han, given[g1].han,
                     g1 == g2 ? "" : given[g2].han);
    } else {
        char up[16];
        size_t j = 0;
        for (const char *q = surnames[s].py; *q && j + 1 < sizeof(up); q++)
            up[j++] = is_lower(*q) ? (char)(*q - 'a' + 'A') : *q;
        up[j] = '\0';
        n = snprintf(tmp, sizeof(tmp), "%s %c%s%s", up, given[g1].py[0] - 'a' + 'A',
                     given[g1].py + 1, g1 == g2 ? "" : given[g2].py);
    }
    return (struct str){arena_strndup(arena, tmp, (size_t)n), (size_t)n};
}

int demo_staff_count(const struct demo *d, size_t e)
{
    (void)e;
    return d->n_reporters + d->n_editors;
}

/* Staff of edition E occupy person numbers E*1000 .. E*1000+999. */
int demo_staff_person(const struct demo *d, size_t e, int j, bool *is_editor)
{
    bool ed = j >= d->n_reporters;
    if (is_editor)
        *is_editor = ed;
    return (int)e * 1000 + (ed ? 500 + (j - d->n_reporters) : j);
}

/*
 * Articles
 */

/* What is decided before any word: the same for demo_article() and
 * demo_article_image(). */
struct basics {
    size_t edition;
    const char *channel;
    bool zh;
    int field, angle;
    int image;
    struct rng rng; /* continues with status, dates and staff */
};

static int angle_of(const char *slug)
{
    static const struct {
        const char *word;
        int angle;
    } map[] = {
        {"policy", A_POLICY},   {"regulation", A_POLICY}, {"cooperation", A_COOP},
        {"world", A_COOP},      {"global", A_COOP},       {"international", A_COOP},
        {"expert", A_PROFILE},  {"people", A_PROFILE},    {"profile", A_PROFILE},
        {"insight", A_ANALYSIS}, {"opinion", A_ANALYSIS}, {"analysis", A_ANALYSIS},
        {"comment", A_ANALYSIS}, {"case", A_CASE},        {"innovation", A_CASE},
    };
    for (size_t k = 0; k < MH_ARRAY_LEN(map); k++)
        if (strstr(slug, map[k].word))
            return map[k].angle;
    return A_NEWS;
}

static uint64_t article_seed(const struct demo *d, int64_t i, uint64_t stream)
{
    return mix64(d->p.seed ^ mix64((uint64_t)i * 0x9E3779B97F4A7C15ull + stream));
}

static void get_basics(const struct demo *d, int64_t i, struct basics *b)
{
    rng_seed(&b->rng, article_seed(d, i, 1));
    struct rng *r = &b->rng;
    int x = (int)rng_below(r, (uint32_t)d->share_total);
    size_t e = 0;
    for (;; e++) {
        int s = d->p.editions[e].share > 0 ? d->p.editions[e].share : 1;
        if (x < s || e + 1 == d->p.n_editions)
            break;
        x -= s;
    }
    const struct demo_edition_spec *es = &d->p.editions[e];
    b->edition = e;
    b->zh = lang_is_zh(es->lang);
    /* channel: explicit weights, or "news" as heavy as all others together */
    int total = 0;
    for (size_t c = 0; c < es->n_channels; c++) {
        int w = es->channel_weights ? es->channel_weights[c]
                : strcmp(es->channels[c], "news") == 0 ? (int)(es->n_channels > 1 ?
                                                                   es->n_channels - 1 : 1)
                                                       : 1;
        total += w > 0 ? w : 0;
    }
    size_t ch = 0;
    if (total > 0) {
        x = (int)rng_below(r, (uint32_t)total);
        for (;; ch++) {
            int w = es->channel_weights ? es->channel_weights[ch]
                    : strcmp(es->channels[ch], "news") == 0 ? (int)(es->n_channels > 1 ?
                                                                        es->n_channels - 1 : 1)
                                                            : 1;
            w = w > 0 ? w : 0;
            if (x < w || ch + 1 == es->n_channels)
                break;
            x -= w;
        }
    }
    b->channel = es->channels[ch];
    b->angle = angle_of(b->channel);
    b->field = (int)rng_below(r, FIELD_COUNT);
    int motif = b->angle == A_POLICY || b->angle == A_ANALYSIS ? DEMO_MOTIF_CHART
                : b->angle == A_COOP                           ? DEMO_MOTIF_NETWORK
                                                               : field_motif[b->field];
    if (rng_below(r, 10) < 3)
        motif = (int)rng_below(r, DEMO_MOTIF_COUNT);
    b->image = motif + DEMO_MOTIF_COUNT * (int)rng_below(r, DEMO_IMAGE_VARIANTS);
}

int demo_article_image(const struct demo *d, int64_t i)
{
    struct basics b;
    get_basics(d, i, &b);
    return b.image;
}

static struct str finish_buf(struct buf *b)
{
    struct str s;
    if (buf_finish(b, &s))
        MH_BUG("demo text over its ceiling");
    return s;
}

/* Generate entry E into a fresh arena buffer; English sentences get their
 * capitals unless E is a keyword. */
static struct str gen(struct ctx *c, struct arena *arena, enum entry e, size_t max)
{
    struct buf b;
    buf_init(&b, arena, max);
    buf_reserve(&b, 256);
    expand_entry(c, &b, e);
    polish(&b, 0, c->g->zh, !c->g->zh && e != E_KEYWORD);
    return finish_buf(&b);
}

static struct str gen_title(struct ctx *c, struct arena *arena)
{
    struct buf b;
    buf_init(&b, arena, MH_MAX_FIELD);
    buf_reserve(&b, 256);
    for (int tries = 0;; tries++) {
        buf_truncate(&b, 0);
        uint64_t slots = c->slot_set;
        size_t slot_used = c->slot_used;
        expand_entry(c, &b, E_HEADLINE);
        int words = polish(&b, 0, c->g->zh, false);
        if (b.err)
            MH_BUG("demo headline over its ceiling");
        int chars = utf8_chars(b.data, b.len);
        bool ok = c->g->zh ? chars >= 10 && chars <= 24 : words >= 5 && words <= 11;
        if (ok || tries == 12)
            break;
        c->slot_set = slots; /* forget what the rejected headline made sticky */
        c->slot_used = slot_used;
    }
    if (!c->g->zh)
        title_case(b.data, b.len);
    return finish_buf(&b);
}

/* Append paragraph entry E and a blank line; returns the units it added. */
static int add_para(struct ctx *c, struct buf *body, enum entry e)
{
    size_t start = body->len;
    expand_entry(c, body, e);
    int u = polish(body, start, c->g->zh, !c->g->zh);
    if (body->err || body->len == start)
        return 0; /* nothing left to say: once-only rules ran dry */
    buf_add(body, "\n\n", 2);
    return u;
}

/* Append paragraph E if the units it adds are at most ROOM, trying TRIES
 * times; returns the units added, or -1 when nothing fitted. */
static int add_para_within(struct ctx *c, struct buf *body, enum entry e, int room, int tries)
{
    for (int t = 0; t < tries; t++) {
        size_t mark = body->len;
        int u = add_para(c, body, e);
        if (u <= room)
            return u;
        buf_truncate(body, mark);
    }
    return -1;
}

static void gen_body(const struct demo *d, struct ctx *c, struct arena *arena, struct str *out)
{
    bool zh = c->g->zh;
    int scale = zh ? 2 : 1; /* units per word */
    int min_u = d->p.min_words * scale, max_u = d->p.max_words * scale;
    c->slot_set &= ~c->g->mention_mask; /* the body introduces people afresh */
    int target = (int)rng_range(&c->rng, min_u, max_u);
    struct buf body;
    buf_init(&body, arena, MH_MAX_BODY);
    buf_reserve(&body, (size_t)max_u * (zh ? 4 : 7) + 1024);
    int units = add_para_within(c, &body, E_LEDE, max_u, 4);
    if (units < 0)
        units = add_para_within(c, &body, E_SHORT, max_u, 6);
    if (units < 0)
        units = 0; /* the tiny sentences below will do */
    int reserve = 60 * scale; /* room for the closing paragraph */
    int paras = 1, since_head = 1;
    bool quoted_lead = false, quoted_expert = false, quoted_official = false, listed = false;
    int bolds = 0;
    bool last_quote = false;
    for (int guard = 0; units + reserve < target && guard < 10000; guard++) {
        size_t mark = body.len;
        int mark_units = units;
        int left = target - units;
        if (since_head >= 3 && left > 160 * scale && rng_below(&c->rng, 3) == 0) {
            buf_adds(&body, "## ");
            size_t hs = body.len;
            expand_entry(c, &body, E_SUBHEAD);
            units += polish(&body, hs, zh, false);
            if (!zh && body.err == MH_OK)
                title_case(body.data + hs, body.len - hs);
            buf_add(&body, "\n\n", 2);
            since_head = 0;
        }
        enum entry e;
        uint32_t roll = rng_below(&c->rng, 100);
        if (last_quote && roll >= 93)
            roll -= 50; /* no two quote paragraphs in a row */
        if (!quoted_lead && (paras >= 3 || roll < 45)) {
            e = E_QUOTE_LEAD;
            quoted_lead = true;
        } else if (quoted_lead && !quoted_expert && roll < 25) {
            e = E_QUOTE_EXPERT;
            quoted_expert = true;
        } else if (paras >= 4 && !quoted_official && roll < 12) {
            e = E_QUOTE_OFFICIAL;
            quoted_official = true;
        } else if (quoted_lead && roll >= 93) {
            e = E_QUOTE_AGAIN;
        } else if (paras >= 3 && !listed && roll >= 84 && left > 120 * scale) {
            e = E_LIST;
            listed = true;
        } else if (paras >= 2 && bolds < 2 && roll >= 78 && roll < 84) {
            e = E_BOLD;
            bolds++;
        } else {
            e = roll & 1 ? E_DETAIL : E_CONTEXT;
        }
        last_quote = e == E_QUOTE_LEAD || e == E_QUOTE_AGAIN || e == E_QUOTE_EXPERT ||
                     e == E_QUOTE_OFFICIAL;
        int u = add_para(c, &body, e);
        if (body.err)
            break;
        if (units + u > max_u - reserve) {
            buf_truncate(&body, mark); /* too long: close instead */
            units = mark_units;
            break;
        }
        units += u;
        paras++;
        since_head++;
    }
    /* the closing paragraph, or short sentences if it does not fit */
    size_t mark = body.len;
    int u = add_para(c, &body, E_OUTLOOK);
    if (body.err == MH_OK && units + u > max_u) {
        buf_truncate(&body, mark);
        for (int tries = 0; tries < 6 && units < min_u; tries++) {
            mark = body.len;
            u = add_para(c, &body, E_SHORT);
            if (units + u > max_u)
                buf_truncate(&body, mark);
            else
                units += u;
        }
    } else {
        units += u;
    }
    /* land inside [min, max]: a tiny sentence is at most six words (twelve
     * units in Chinese), and max - min >= DEMO_WORD_SLACK words */
    while (units < min_u && body.err == MH_OK) {
        if (body.len >= 2)
            buf_truncate(&body, body.len - 2); /* extend the last paragraph */
        if (!zh && body.len)
            buf_addc(&body, ' ');
        size_t s0 = body.len;
        expand_entry(c, &body, E_TINY);
        units += polish(&body, s0, zh, !zh);
        if (body.err)
            break;
        buf_add(&body, "\n\n", 2);
    }
    while (body.len && body.data[body.len - 1] == '\n')
        buf_truncate(&body, body.len - 1);
    buf_addc(&body, '\n');
    *out = finish_buf(&body);
}

static struct str copy_c(struct arena *arena, const char *s)
{
    return (struct str){arena_strdup(arena, s), strlen(s)};
}

/* Status and the dates that go with it. */
static void gen_status(const struct demo *d, struct rng *r, struct article *a)
{
    const int64_t hour = 3600000, day = 24 * hour;
    int64_t now = d->p.now_ms;
    uint32_t roll = rng_below(r, 100);
    a->status = roll < 2 ? ARTICLE_DRAFT : roll < 4 ? ARTICLE_SUBMITTED
                : roll < 6 ? ARTICLE_APPROVED : roll < 8 ? ARTICLE_SCHEDULED
                : roll < 9 ? ARTICLE_WITHDRAWN : ARTICLE_PUBLISHED;
    a->revision = 1 + (int)rng_below(r, 4);
    if (a->status == ARTICLE_PUBLISHED || a->status == ARTICLE_WITHDRAWN) {
        /* age = span * u^2: denser near now */
        int64_t span = 180 * day, u = (int64_t)rng_below(r, 1000000);
        int64_t age = span / 1000 * u / 1000000 * u / 1000;
        a->first_published_at = now - age - (int64_t)rng_below(r, 60000);
        a->created_at = a->first_published_at - rng_range(r, 10 * 60000, 3 * day);
        a->last_published_at = a->first_published_at;
        if (a->revision > 1 && rng_below(r, 2)) {
            int64_t later = a->first_published_at + rng_range(r, 60000, 2 * day);
            a->last_published_at = later < now ? later : now;
        }
        a->updated_at = a->last_published_at;
        if (a->status == ARTICLE_WITHDRAWN) {
            int64_t w = a->last_published_at + rng_range(r, hour, 5 * day);
            a->updated_at = w < now ? w : now;
        }
    } else {
        a->created_at = now - rng_range(r, hour, 14 * day);
        a->updated_at = a->created_at + rng_range(r, 0, now - a->created_at);
        if (a->status == ARTICLE_SCHEDULED)
            a->scheduled_at = now + rng_range(r, hour, 72 * hour);
        if (a->status == ARTICLE_DRAFT && a->revision > 2)
            a->revision = 2;
    }
}

/* Set up the text context of article I and return its language's grammar. */
static void article_ctx(const struct demo *d, int64_t i, const struct basics *b, struct ctx *c)
{
    ctx_init(c, b->zh ? &d->zh : &d->en, article_seed(d, i, 2), b->field, b->angle);
}

void demo_article(const struct demo *d, int64_t i, struct arena *arena, struct article *out)
{
    struct basics b;
    get_basics(d, i, &b);
    const struct demo_edition_spec *es = &d->p.editions[b.edition];
    const char *lang = b.zh ? "zh-CN" : "en";
    memset(out, 0, sizeof(*out));
    out->edition = copy_c(arena, es->slug);
    out->channel = copy_c(arena, b.channel);
    gen_status(d, &b.rng, out);

    /* staff: 1-3 distinct reporters, one editor */
    struct rng *r = &b.rng;
    uint32_t na = rng_below(r, 10);
    out->n_authors = na < 6 ? 1 : na < 9 ? 2 : 3;
    if ((int)out->n_authors > d->n_reporters)
        out->n_authors = (size_t)d->n_reporters;
    out->authors = arena_alloc(arena, out->n_authors * sizeof(struct str));
    int picked[3];
    for (size_t k = 0; k < out->n_authors; k++) {
        int j;
        bool dup;
        do {
            j = (int)rng_below(r, (uint32_t)d->n_reporters);
            dup = false;
            for (size_t m = 0; m < k; m++)
                dup |= picked[m] == j;
        } while (dup);
        picked[k] = j;
        out->authors[k] = demo_person(d, lang, demo_staff_person(d, b.edition, j, NULL), arena);
    }
    int ed = d->n_reporters + (int)rng_below(r, (uint32_t)d->n_editors);
    out->editor = demo_person(d, lang, demo_staff_person(d, b.edition, ed, NULL), arena);
    int photographer = (int)rng_below(r, (uint32_t)d->n_reporters);
    uint32_t src = rng_below(r, 100);
    static const char *const sources[2][3] = {
        {"Masthead Science Daily", "Agencies", "Masthead Science Daily and agencies"},
        {"Masthead科学日报", "综合报道", "Masthead科学日报综合报道"},
    };
    out->source = copy_c(arena, sources[b.zh][src < 86 ? 0 : src < 94 ? 1 : 2]);

    struct ctx c;
    article_ctx(d, i, &b, &c);
    out->title = gen_title(&c, arena);
    bool feature = b.angle == A_ANALYSIS || b.angle == A_PROFILE || b.angle == A_CASE;
    out->kicker = out->subtitle = copy_c(arena, ""); /* empty, not NULL */
    if (rng_below(&c.rng, 100) < (feature ? 55u : 18u))
        out->kicker = gen(&c, arena, E_KICKER, MH_MAX_FIELD);
    if (rng_below(&c.rng, 100) < 30)
        out->subtitle = gen(&c, arena, E_SUBTITLE, MH_MAX_FIELD);
    out->abstract = gen(&c, arena, E_ABSTRACT, MH_MAX_ABSTRACT);

    size_t nk = 2 + rng_below(&c.rng, 4);
    out->keywords = arena_alloc(arena, nk * sizeof(struct str));
    out->n_keywords = 0;
    for (int tries = 0; out->n_keywords < nk && tries < 20; tries++) {
        struct str kw = gen(&c, arena, E_KEYWORD, MH_MAX_FIELD);
        bool dup = kw.len == 0;
        for (size_t m = 0; m < out->n_keywords; m++)
            dup |= str_eq(out->keywords[m], kw);
        if (!dup)
            out->keywords[out->n_keywords++] = kw;
    }

    gen_body(d, &c, arena, &out->body);
    out->body_format = BODY_MARKDOWN;

    struct article_image *im = arena_zalloc(arena, sizeof(*im));
    out->images = im;
    out->n_images = 1;
    im->path = copy_c(arena, "");
    im->sha256 = copy_c(arena, "");
    im->mime = copy_c(arena, "image/png");
    demo_image_size(d, b.image, &im->width, &im->height);
    im->caption = gen(&c, arena, E_CAPTION, MH_MAX_FIELD);
    struct str who = demo_person(d, lang, demo_staff_person(d, b.edition, photographer, NULL),
                                 arena);
    struct buf credit;
    buf_init(&credit, arena, MH_MAX_FIELD);
    if (b.zh)
        buf_addf(&credit, "%s：%.*s/Masthead", rng_below(&c.rng, 3) ? "制图" : "插图",
                 (int)who.len, who.ptr);
    else
        buf_addf(&credit, "%s: %.*s / Masthead", rng_below(&c.rng, 3) ? "Illustration" : "Graphic",
                 (int)who.len, who.ptr);
    im->credit = finish_buf(&credit);
    im->alt = demo_image_alt(d, b.image, lang, arena);
}

struct str demo_article_summary(const struct demo *d, int64_t i, struct arena *arena)
{
    struct basics b;
    get_basics(d, i, &b);
    struct ctx c;
    article_ctx(d, i, &b, &c);
    struct arena scratch;
    arena_init(&scratch, 0);
    gen_title(&c, &scratch); /* makes the article's subject sticky, as in demo_article() */
    arena_release(&scratch);
    return gen(&c, arena, E_SUMMARY, MH_MAX_ABSTRACT);
}

struct str demo_channel_description(const struct demo *d, const char *lang, const char *slug,
                                    struct arena *arena)
{
    struct ctx c;
    bool zh = lang_is_zh(lang);
    ctx_init(&c, zh ? &d->zh : &d->en, mix64(d->p.seed ^ name_hash(slug, strlen(slug))),
             (int)(name_hash(slug, strlen(slug)) % FIELD_COUNT), angle_of(slug));
    return gen(&c, arena, E_CHANNEL_DESC, MH_MAX_FIELD);
}
