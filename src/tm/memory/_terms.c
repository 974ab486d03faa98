/* tm.memory._terms: the memory's work per text and per posting, in C.

   Each piece is the C of a Python definition, which it must match exactly
   (tests/test_memory_terms.py) and which is used wherever this module is not built (see
   tm.memory.normalise.compiled):

   terms_and_sketch(norm) -> (set[str], int)
       tm.memory.normalise.terms_and_sketch:
       - tokens are runs of word characters as Python's re module reads \w in a str pattern
         (alphanumeric or '_'), each run of decimal digits (\d) written "0";
       - the terms are the adjacent pairs of tokens joined by a space, and the tokens
         themselves when there are three or fewer;
       - the sketch: bit b is set when more than half of the terms' CRC-32s (of their
         UTF-8) have it set, for the lowest SKETCH_BITS bits; past 255 terms, of the first
         255 in code-point order.

   Range: .add(uid, norm), .release() -> (terms, sizes, entries)
       tm.memory.indexing.Range: an import's posting entries (unit id, length, sketch;
       tm.memory.indexing.entry) for one range of unit ids, term by term.

   normalise_simple(text, edge) -> str | None
       tm.memory.normalise.normalise, for the texts it can take (most English and French).

   Tally: .add(blob, weight=1), .entries(), .counts(), .best(size, sketched, unread, terms, length)
       tm.memory.indexing.Tally: a count of posting entries, as a lookup reads them, and
       the units ranked highest on it.

   fingerprint(norm) -> int
       tm.memory.normalise.fingerprint: the 8-byte BLAKE2b (RFC 7693, no key) of the
       text's UTF-8, read as a signed big-endian integer.

   indel_similarity(a, b) -> float
       tm.memory.scoring.indel_similarity, rapidfuzz's Indel.normalized_similarity:
       1 - (len(a) + len(b) - 2 * LCS) / (len(a) + len(b)), LCS the longest common
       subsequence of code points (1.0 for two empty texts). A lookup scores a few hundred
       pairs; importing rapidfuzz for them cost a fresh lookup process about 20 ms.

   Extracting terms is most of a large import's work and counting postings much of a
   lookup's; this does each about two to five times faster. Built by `make` (see the
   Makefile) with DIGEST, the BLAKE2b digest of this file, so that a copy built from an
   older file is never used. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define SKETCH_BITS 24
#define MOST_TERMS 255 /* terms sketched, at most (see tm.memory.normalise.sketch) */
#define LENGTH_BITS 12 /* see tm.memory.indexing.entry */
#define LONGEST ((1 << LENGTH_BITS) - 1)
#define UNIT_SHIFT (LENGTH_BITS + SKETCH_BITS)

#ifndef DIGEST
#define DIGEST ""
#endif

static uint32_t crc_table[256];

static void
crc_init(void)
{
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

/* The CRC-32 (as zlib.crc32) of the UTF-8 of `length` code points. */
static uint32_t
crc_utf8(const Py_UCS4 *text, Py_ssize_t length)
{
    uint32_t crc = 0xFFFFFFFFu;
    unsigned char bytes[4];
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 ch = text[i];
        int size;
        if (ch < 0x80) {
            bytes[0] = (unsigned char)ch;
            size = 1;
        }
        else if (ch < 0x800) {
            bytes[0] = (unsigned char)(0xC0 | (ch >> 6));
            bytes[1] = (unsigned char)(0x80 | (ch & 0x3F));
            size = 2;
        }
        else if (ch < 0x10000) {
            bytes[0] = (unsigned char)(0xE0 | (ch >> 12));
            bytes[1] = (unsigned char)(0x80 | ((ch >> 6) & 0x3F));
            bytes[2] = (unsigned char)(0x80 | (ch & 0x3F));
            size = 3;
        }
        else {
            bytes[0] = (unsigned char)(0xF0 | (ch >> 18));
            bytes[1] = (unsigned char)(0x80 | ((ch >> 12) & 0x3F));
            bytes[2] = (unsigned char)(0x80 | ((ch >> 6) & 0x3F));
            bytes[3] = (unsigned char)(0x80 | (ch & 0x3F));
            size = 4;
        }
        for (int k = 0; k < size; k++)
            crc = crc_table[(crc ^ bytes[k]) & 0xFF] ^ (crc >> 8);
    }
    return crc ^ 0xFFFFFFFFu;
}

/* Add the term text[0:length] to `terms`; when it is new, count its hash's bits. */
static int
add_term(PyObject *terms, const Py_UCS4 *text, Py_ssize_t length, Py_ssize_t *counts)
{
    PyObject *term = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, text, length);
    if (term == NULL)
        return -1;
    Py_ssize_t before = PySet_GET_SIZE(terms);
    int failed = PySet_Add(terms, term);
    Py_DECREF(term);
    if (failed)
        return -1;
    if (PySet_GET_SIZE(terms) > before) {
        uint32_t hash = crc_utf8(text, length);
        for (int bit = 0; bit < SKETCH_BITS; bit++)
            counts[bit] += (hash >> bit) & 1;
    }
    return 0;
}

/* Each term of `norm` (with repeats), given to visit(context, term, length) in turn; a
   visit returning non-zero stops the scan and is returned. */
typedef int (*visitor)(void *context, const Py_UCS4 *term, Py_ssize_t length);

static int
each_term(PyObject *norm, visitor visit, void *context)
{
    if (!PyUnicode_Check(norm)) {
        PyErr_SetString(PyExc_TypeError, "a normalised text must be a str");
        return -1;
    }
    Py_ssize_t length = PyUnicode_GET_LENGTH(norm);
    int kind = PyUnicode_KIND(norm);
    const void *data = PyUnicode_DATA(norm);
    /* the text with its digit runs written "0", then room to write one pair of tokens;
       two bounds per token, at most one token per two characters (plus one) */
    Py_UCS4 *text = PyMem_New(Py_UCS4, 2 * length + 2);
    Py_ssize_t *bounds = PyMem_New(Py_ssize_t, length + 2);
    if (text == NULL || bounds == NULL) {
        PyMem_Free(text);
        PyMem_Free(bounds);
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t written = 0, tokens = 0;
    int in_token = 0, in_digits = 0;
    for (Py_ssize_t i = 0; i < length; i++) {
        Py_UCS4 ch = PyUnicode_READ(kind, data, i);
        if (ch == '_' || Py_UNICODE_ISALNUM(ch)) {
            if (!in_token) {
                bounds[2 * tokens] = written;
                in_token = 1;
                in_digits = 0;
            }
            if (Py_UNICODE_ISDECIMAL(ch)) {
                if (!in_digits)
                    text[written++] = '0';
                in_digits = 1;
            }
            else {
                text[written++] = ch;
                in_digits = 0;
            }
        }
        else if (in_token) {
            bounds[2 * tokens + 1] = written;
            tokens++;
            in_token = 0;
        }
    }
    if (in_token) {
        bounds[2 * tokens + 1] = written;
        tokens++;
    }
    Py_UCS4 *pair = text + written;
    int stopped = 0;
    for (Py_ssize_t t = 0; t + 1 < tokens && !stopped; t++) {
        Py_ssize_t first = bounds[2 * t + 1] - bounds[2 * t];
        Py_ssize_t second = bounds[2 * t + 3] - bounds[2 * t + 2];
        memcpy(pair, text + bounds[2 * t], first * sizeof(Py_UCS4));
        pair[first] = ' ';
        memcpy(pair + first + 1, text + bounds[2 * t + 2], second * sizeof(Py_UCS4));
        stopped = visit(context, pair, first + 1 + second);
    }
    for (Py_ssize_t t = 0; tokens <= 3 && t < tokens && !stopped; t++)
        stopped = visit(context, text + bounds[2 * t], bounds[2 * t + 1] - bounds[2 * t]);
    PyMem_Free(text);
    PyMem_Free(bounds);
    return stopped;
}

typedef struct {
    PyObject *terms;
    Py_ssize_t *counts;
} Collected;

static int
collect_term(void *context, const Py_UCS4 *text, Py_ssize_t length)
{
    Collected *collected = context;
    return add_term(collected->terms, text, length, collected->counts) ? -1 : 0;
}

/* The terms of `norm` into the new set *terms, their hashes' bits counted into counts. */
static int
scan(PyObject *norm, PyObject **terms, Py_ssize_t *counts)
{
    *terms = PySet_New(NULL);
    if (*terms == NULL)
        return -1;
    Collected collected = {*terms, counts};
    if (each_term(norm, collect_term, &collected)) {
        Py_CLEAR(*terms);
        return -1;
    }
    return 0;
}

/* Past MOST_TERMS terms, the sketch is of the first MOST_TERMS in sorted order: count
   those again. */
static int
recount_first(PyObject *terms, Py_ssize_t *counts)
{
    PyObject *sorted = PySequence_List(terms);
    if (sorted == NULL || PyList_Sort(sorted) < 0) {
        Py_XDECREF(sorted);
        return -1;
    }
    memset(counts, 0, SKETCH_BITS * sizeof(Py_ssize_t));
    for (Py_ssize_t i = 0; i < MOST_TERMS; i++) {
        Py_ssize_t size;
        const char *bytes = PyUnicode_AsUTF8AndSize(PyList_GET_ITEM(sorted, i), &size);
        if (bytes == NULL) {
            Py_DECREF(sorted);
            return -1;
        }
        uint32_t crc = 0xFFFFFFFFu;
        for (Py_ssize_t k = 0; k < size; k++)
            crc = crc_table[(crc ^ (unsigned char)bytes[k]) & 0xFF] ^ (crc >> 8);
        crc ^= 0xFFFFFFFFu;
        for (int bit = 0; bit < SKETCH_BITS; bit++)
            counts[bit] += (crc >> bit) & 1;
    }
    Py_DECREF(sorted);
    return 0;
}

/* The terms of `norm` and their sketch; NULL on error. */
static PyObject *
terms_of(PyObject *norm, unsigned long *sketched)
{
    Py_ssize_t counts[SKETCH_BITS] = {0};
    PyObject *terms;
    if (scan(norm, &terms, counts) < 0)
        return NULL;
    Py_ssize_t found = PySet_GET_SIZE(terms);
    if (found > MOST_TERMS) {
        if (recount_first(terms, counts) < 0) {
            Py_DECREF(terms);
            return NULL;
        }
        found = MOST_TERMS;
    }
    *sketched = 0;
    for (int bit = 0; bit < SKETCH_BITS; bit++)
        if (counts[bit] > found / 2)
            *sketched |= 1ul << bit;
    return terms;
}

static PyObject *
terms_and_sketch(PyObject *Py_UNUSED(module), PyObject *norm)
{
    unsigned long sketched;
    PyObject *terms = terms_of(norm, &sketched);
    if (terms == NULL)
        return NULL;
    return Py_BuildValue("(Nk)", terms, sketched);
}

/* Range: the posting entries of one range of unit ids, term by term, as an import adds
   texts (the C of tm.memory.indexing._Range: a dict of each term's packed entries).

   Terms are held as code points in one arena, found through an open-addressing table by
   a hash of their code points: a term met again costs no string object. Each term keeps
   its CRC-32 (for sketches), the serial of the last text that held it (a term twice in
   a text counts once) and its entries. Strings are made once, by release(). */

typedef struct {
    uint64_t hash;
    Py_ssize_t at, length; /* its code points in the arena */
    uint32_t crc;
    uint64_t serial;
    uint64_t *entries;
    Py_ssize_t size, capacity;
} Held;

typedef struct {
    PyObject_HEAD
    Held *held;
    Py_ssize_t count, room;
    int32_t *slots; /* index + 1 of a term; 0: empty */
    Py_ssize_t mask;
    Py_UCS4 *arena;
    Py_ssize_t arena_size, arena_room;
    uint64_t serial;
    /* the text being added: its distinct terms */
    Py_ssize_t *seen;
    Py_ssize_t seen_count, seen_room;
} Range;

static inline uint64_t
hash_of(const Py_UCS4 *text, Py_ssize_t length)
{
    uint64_t hash = 0xCBF29CE484222325ull; /* FNV-1a over code points */
    for (Py_ssize_t i = 0; i < length; i++) {
        hash ^= text[i];
        hash *= 0x100000001B3ull;
    }
    return hash ^ (hash >> 29);
}

static int
range_rehash(Range *self, Py_ssize_t slots)
{
    int32_t *table = PyMem_Calloc(slots, sizeof(int32_t));
    if (table == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t mask = slots - 1;
    for (Py_ssize_t i = 0; i < self->count; i++) {
        Py_ssize_t at = (Py_ssize_t)self->held[i].hash & mask;
        while (table[at])
            at = (at + 1) & mask;
        table[at] = (int32_t)(i + 1);
    }
    PyMem_Free(self->slots);
    self->slots = table;
    self->mask = mask;
    return 0;
}

/* The index of a term in self->held, added when new; -1 on error. */
static Py_ssize_t
range_find(Range *self, const Py_UCS4 *text, Py_ssize_t length)
{
    if (self->slots == NULL && range_rehash(self, 1024) < 0)
        return -1;
    uint64_t hash = hash_of(text, length);
    Py_ssize_t at = (Py_ssize_t)hash & self->mask;
    for (;;) {
        int32_t index = self->slots[at];
        if (index == 0)
            break;
        Held *held = &self->held[index - 1];
        if (held->hash == hash && held->length == length
            && memcmp(self->arena + held->at, text, length * sizeof(Py_UCS4)) == 0)
            return index - 1;
        at = (at + 1) & self->mask;
    }
    if (self->count >= INT32_MAX - 1) {
        PyErr_SetString(PyExc_OverflowError, "too many terms in a range");
        return -1;
    }
    if (self->count == self->room) {
        Py_ssize_t room = self->room ? 2 * self->room : 1024;
        Held *grown = PyMem_Realloc(self->held, room * sizeof(Held));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        self->held = grown;
        self->room = room;
    }
    if (self->arena_size + length > self->arena_room) {
        Py_ssize_t room = 2 * self->arena_room + length + 4096;
        Py_UCS4 *grown = PyMem_Realloc(self->arena, room * sizeof(Py_UCS4));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        self->arena = grown;
        self->arena_room = room;
    }
    memcpy(self->arena + self->arena_size, text, length * sizeof(Py_UCS4));
    Held *held = &self->held[self->count];
    held->hash = hash;
    held->at = self->arena_size;
    held->length = length;
    held->crc = crc_utf8(text, length);
    held->serial = 0;
    held->entries = NULL;
    held->size = held->capacity = 0;
    self->arena_size += length;
    self->slots[at] = (int32_t)(self->count + 1);
    self->count++;
    if (2 * self->count > self->mask + 1 && range_rehash(self, 2 * (self->mask + 1)) < 0)
        return -1;
    return self->count - 1;
}

static int
see_term(void *context, const Py_UCS4 *text, Py_ssize_t length)
{
    Range *self = context;
    Py_ssize_t index = range_find(self, text, length);
    if (index < 0)
        return -1;
    Held *held = &self->held[index];
    if (held->serial == self->serial)
        return 0; /* twice in this text */
    held->serial = self->serial;
    if (self->seen_count == self->seen_room) {
        Py_ssize_t room = self->seen_room ? 2 * self->seen_room : 64;
        Py_ssize_t *grown = PyMem_Realloc(self->seen, room * sizeof(Py_ssize_t));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        self->seen = grown;
        self->seen_room = room;
    }
    self->seen[self->seen_count++] = index;
    return 0;
}

/* Code-point order of two held terms, as Python orders strings. */
static int
held_order(const Range *self, Py_ssize_t a, Py_ssize_t b)
{
    const Held *x = &self->held[a], *y = &self->held[b];
    Py_ssize_t shorter = x->length < y->length ? x->length : y->length;
    for (Py_ssize_t i = 0; i < shorter; i++) {
        Py_UCS4 p = self->arena[x->at + i], q = self->arena[y->at + i];
        if (p != q)
            return p < q ? -1 : 1;
    }
    return (x->length > y->length) - (x->length < y->length);
}

static unsigned long
range_sketch(Range *self)
{
    Py_ssize_t counts[SKETCH_BITS] = {0};
    Py_ssize_t found = self->seen_count;
    if (found > MOST_TERMS) {
        /* the first MOST_TERMS in code-point order: a partial selection sort (rare) */
        for (Py_ssize_t i = 0; i < MOST_TERMS; i++) {
            Py_ssize_t least = i;
            for (Py_ssize_t j = i + 1; j < found; j++)
                if (held_order(self, self->seen[j], self->seen[least]) < 0)
                    least = j;
            Py_ssize_t swap = self->seen[i];
            self->seen[i] = self->seen[least];
            self->seen[least] = swap;
        }
        found = MOST_TERMS;
    }
    for (Py_ssize_t i = 0; i < found; i++) {
        uint32_t crc = self->held[self->seen[i]].crc;
        for (int bit = 0; bit < SKETCH_BITS; bit++)
            counts[bit] += (crc >> bit) & 1;
    }
    unsigned long sketched = 0;
    for (int bit = 0; bit < SKETCH_BITS; bit++)
        if (counts[bit] > found / 2)
            sketched |= 1ul << bit;
    return sketched;
}

/* add(uid, norm): the text's entry appended to each of its terms' entries. */
static PyObject *
range_add(Range *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "add(uid: int, norm: str)");
        return NULL;
    }
    unsigned long long uid = PyLong_AsUnsignedLongLong(args[0]);
    if (uid == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    if (uid >= (1ull << (64 - UNIT_SHIFT))) {
        PyErr_SetString(PyExc_OverflowError, "unit id too large for a posting entry");
        return NULL;
    }
    self->serial++;
    self->seen_count = 0;
    if (each_term(args[1], see_term, self))
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(args[1]);
    uint64_t value = uid << UNIT_SHIFT | (uint64_t)(length < LONGEST ? length : LONGEST) << SKETCH_BITS
        | range_sketch(self);
    for (Py_ssize_t i = 0; i < self->seen_count; i++) {
        Held *held = &self->held[self->seen[i]];
        if (held->size == held->capacity) {
            Py_ssize_t capacity = held->capacity ? 2 * held->capacity : 4;
            uint64_t *grown = PyMem_Realloc(held->entries, capacity * sizeof(uint64_t));
            if (grown == NULL)
                return PyErr_NoMemory();
            held->entries = grown;
            held->capacity = capacity;
        }
        held->entries[held->size++] = value;
    }
    Py_RETURN_NONE;
}

static const Range *sorting; /* the range whose terms qsort orders (the GIL is held) */

static int
compare_held(const void *a, const void *b)
{
    return held_order(sorting, *(const Py_ssize_t *)a, *(const Py_ssize_t *)b);
}

/* release() -> (terms: list[str] in order, sizes: bytes of int64, entries: bytes of
   64-bit little-endian entries, term after term). */
static PyObject *
range_release(Range *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t *order = PyMem_New(Py_ssize_t, self->count + 1);
    if (order == NULL)
        return PyErr_NoMemory();
    Py_ssize_t total = 0;
    for (Py_ssize_t i = 0; i < self->count; i++) {
        order[i] = i;
        total += self->held[i].size;
    }
    sorting = self;
    qsort(order, self->count, sizeof(Py_ssize_t), compare_held);
    PyObject *terms = PyList_New(self->count);
    PyObject *sizes = PyBytes_FromStringAndSize(NULL, self->count * (Py_ssize_t)sizeof(int64_t));
    PyObject *entries = PyBytes_FromStringAndSize(NULL, total * 8);
    if (terms == NULL || sizes == NULL || entries == NULL)
        goto failed;
    int64_t *size_out = (int64_t *)PyBytes_AS_STRING(sizes);
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(entries);
    for (Py_ssize_t k = 0; k < self->count; k++) {
        Held *held = &self->held[order[k]];
        PyObject *term = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, self->arena + held->at, held->length);
        if (term == NULL)
            goto failed;
        PyList_SET_ITEM(terms, k, term);
        size_out[k] = held->size;
        for (Py_ssize_t e = 0; e < held->size; e++)
            for (int b = 0; b < 8; b++)
                *out++ = (unsigned char)(held->entries[e] >> (8 * b));
    }
    PyMem_Free(order);
    return Py_BuildValue("(NNN)", terms, sizes, entries);
failed:
    PyMem_Free(order);
    Py_XDECREF(terms);
    Py_XDECREF(sizes);
    Py_XDECREF(entries);
    return NULL;
}

static void
range_dealloc(Range *self)
{
    for (Py_ssize_t i = 0; i < self->count; i++)
        PyMem_Free(self->held[i].entries);
    PyMem_Free(self->held);
    PyMem_Free(self->slots);
    PyMem_Free(self->arena);
    PyMem_Free(self->seen);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static Py_ssize_t
range_length(Range *self)
{
    return self->count;
}

static PyMethodDef range_methods[] = {
    {"add", (PyCFunction)(void (*)(void))range_add, METH_FASTCALL, "Add a unit's normalised text."},
    {"release", (PyCFunction)range_release, METH_NOARGS,
     "(terms in order, their entry counts as int64 bytes, their entries end to end)."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods range_sequence = {
    .sq_length = (lenfunc)range_length,
};

static PyTypeObject RangeType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tm.memory._terms.Range",
    .tp_doc = "The posting entries of one range of unit ids, term by term.",
    .tp_basicsize = sizeof(Range),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)range_dealloc,
    .tp_methods = range_methods,
    .tp_as_sequence = &range_sequence,
};

/* normalise_simple(text, edge) -> str | None: tm.memory.normalise.normalise for a text
   whose characters all lie below U+0300 or in General Punctuation (U+2000-U+206F), with
   no '<' (no inline tags): there, NFC changes nothing but two spaces into other spaces,
   and the folding table maps only spaces to a space (tests/test_memory_terms.py checks both). None for any other text,
   which the Python definition then normalises. `edge`: the characters stripped from
   both ends (tm.memory.normalise.EDGE_PUNCTUATION). */
static int
in_edge(Py_UCS4 ch, int edge_kind, const void *edge_data, Py_ssize_t edge_length)
{
    for (Py_ssize_t k = 0; k < edge_length; k++)
        if (PyUnicode_READ(edge_kind, edge_data, k) == ch)
            return 1;
    return 0;
}

static PyObject *
normalise_simple(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "normalise_simple(text: str, edge: str)");
        return NULL;
    }
    PyObject *text = args[0];
    Py_ssize_t length = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    if (kind == PyUnicode_4BYTE_KIND) /* a character past U+FFFF: not one of those taken */
        Py_RETURN_NONE;
    int edge_kind = PyUnicode_KIND(args[1]);
    const void *edge_data = PyUnicode_DATA(args[1]);
    Py_ssize_t edge_length = PyUnicode_GET_LENGTH(args[1]);
    /* every character taken fits in 16 bits; a sentence's fit on the stack */
    Py_UCS2 on_stack[1024];
    Py_UCS2 *out = length <= 1024 ? on_stack : PyMem_New(Py_UCS2, length);
    if (out == NULL)
        return PyErr_NoMemory();
    Py_ssize_t written = 0;
    int space = 0, taken = 1;
/* str.split(): runs of white space made one space, ends dropped (one loop per width) */
#define SPLIT_AND_JOIN(CHAR)                                                          \
    for (Py_ssize_t i = 0; i < length; i++) {                                         \
        Py_UCS4 ch = ((const CHAR *)data)[i];                                         \
        if ((ch >= 0x300 && (ch < 0x2000 || ch >= 0x2070)) || ch == '<') {           \
            taken = 0;                                                                \
            break;                                                                    \
        }                                                                             \
        if (Py_UNICODE_ISSPACE(ch)) {                                                 \
            space = written > 0;                                                      \
            continue;                                                                 \
        }                                                                             \
        if (space) {                                                                  \
            out[written++] = ' ';                                                     \
            space = 0;                                                                \
        }                                                                             \
        out[written++] = (Py_UCS2)ch;                                                 \
    }
    if (kind == PyUnicode_1BYTE_KIND)
        SPLIT_AND_JOIN(Py_UCS1)
    else
        SPLIT_AND_JOIN(Py_UCS2)
#undef SPLIT_AND_JOIN
    if (!taken) {
        if (out != on_stack)
            PyMem_Free(out);
        Py_RETURN_NONE;
    }
    Py_ssize_t start = 0, end = written; /* str.strip(edge) */
    while (start < end && in_edge(out[start], edge_kind, edge_data, edge_length))
        start++;
    while (end > start && in_edge(out[end - 1], edge_kind, edge_data, edge_length))
        end--;
    /* str.casefold(), here where it is the lower case: A-Z and À-Þ (but ×) are the only
       letters with a folding below U+0100 but ß and µ, and General Punctuation has none;
       a text with ß, µ or a letter of U+0100-U+02FF is folded by str.casefold() */
    Py_UCS4 widest = 0;
    int folded_here = 1;
    for (Py_ssize_t i = start; i < end; i++) {
        Py_UCS2 ch = out[i];
        if (ch < 0x100) {
            if ((ch >= 'A' && ch <= 'Z') || (ch >= 0xC0 && ch <= 0xDE && ch != 0xD7))
                out[i] = ch += 'a' - 'A';
            else if (ch == 0xDF || ch == 0xB5)
                folded_here = 0;
        } else if (ch < 0x300)
            folded_here = 0;
        if (ch > widest)
            widest = ch;
    }
    PyObject *result = PyUnicode_New(end - start, widest);
    if (result != NULL && PyUnicode_KIND(result) == PyUnicode_1BYTE_KIND) {
        Py_UCS1 *into = PyUnicode_1BYTE_DATA(result);
        for (Py_ssize_t i = start; i < end; i++)
            into[i - start] = (Py_UCS1)out[i];
    } else if (result != NULL)
        memcpy(PyUnicode_2BYTE_DATA(result), out + start, (size_t)(end - start) * sizeof(Py_UCS2));
    if (out != on_stack)
        PyMem_Free(out);
    if (result == NULL || folded_here)
        return result;
    PyObject *folded = PyObject_CallMethod(result, "casefold", NULL);
    Py_DECREF(result);
    return folded;
}

/* Tally: how many times each posting entry was read, in the order first read (the
   C of tm.memory.indexing.Tally, a Counter of the entries: a lookup counts about a
   million entries, and a Counter spends most of a lookup's time doing it).

   Entries are kept in an array in the order first seen, with an open-addressing table
   of their positions; counts saturate at 255. */

typedef struct {
    PyObject_HEAD
    uint64_t *entries;
    uint8_t *counts;
    Py_ssize_t size;
    Py_ssize_t capacity; /* of entries and counts */
    int32_t *slots;      /* position + 1 of an entry; 0: empty */
    Py_ssize_t mask;     /* slots - 1 (a power of two minus one) */
} Tally;

static inline Py_ssize_t
slot_of(uint64_t value, Py_ssize_t mask)
{
    return (Py_ssize_t)((value * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

/* Room for `needed` entries: the capacity doubled (at least), so that the table is made
   anew once for all of a posting list's entries rather than at each doubling on the way. */
static int
tally_grow(Tally *self, Py_ssize_t needed)
{
    Py_ssize_t capacity = self->capacity ? 2 * self->capacity : 1024;
    while (capacity < needed && capacity <= INT32_MAX / 2)
        capacity *= 2;
    if (capacity > INT32_MAX / 2) {
        PyErr_NoMemory();
        return -1;
    }
    uint64_t *entries = PyMem_Realloc(self->entries, capacity * sizeof(uint64_t));
    if (entries == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->entries = entries;
    uint8_t *counts = PyMem_Realloc(self->counts, capacity);
    if (counts == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    self->counts = counts;
    Py_ssize_t mask = 2 * capacity - 1; /* at most half full */
    int32_t *slots = PyMem_Calloc(mask + 1, sizeof(int32_t));
    if (slots == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < self->size; i++) {
        Py_ssize_t at = slot_of(self->entries[i], mask);
        while (slots[at])
            at = (at + 1) & mask;
        slots[at] = (int32_t)(i + 1);
    }
    PyMem_Free(self->slots);
    self->slots = slots;
    self->mask = mask;
    self->capacity = capacity;
    return 0;
}

static PyObject *
tally_add(Tally *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs < 1 || nargs > 2) {
        PyErr_SetString(PyExc_TypeError, "add() takes a blob and, optionally, a weight");
        return NULL;
    }
    long weight = 1;
    if (nargs == 2) {
        weight = PyLong_AsLong(args[1]);
        if (weight == -1 && PyErr_Occurred())
            return NULL;
        if (weight < 1) {
            PyErr_SetString(PyExc_ValueError, "a weight is 1 or more");
            return NULL;
        }
    }
    uint8_t first = weight < 255 ? (uint8_t)weight : 255;
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *bytes = view.buf;
    Py_ssize_t n = view.len / 8;
    /* room for every entry of the list at once (most of them are new to the tally), so
       that none is added to a full table below */
    if (self->size + n > self->capacity && tally_grow(self, self->size + n) < 0) {
        PyBuffer_Release(&view);
        return NULL;
    }
    for (Py_ssize_t k = 0; k < n; k++) {
        uint64_t value = 0;
        for (int b = 7; b >= 0; b--) /* stored little-endian */
            value = value << 8 | bytes[8 * k + b];
        Py_ssize_t at = slot_of(value, self->mask);
        for (;;) {
            int32_t held = self->slots[at];
            if (held == 0) {
                self->slots[at] = (int32_t)(self->size + 1);
                self->entries[self->size] = value;
                self->counts[self->size] = first;
                self->size++;
                break;
            }
            if (self->entries[held - 1] == value) {
                long count = self->counts[held - 1] + weight;
                self->counts[held - 1] = count < 255 ? (uint8_t)count : 255;
                break;
            }
            at = (at + 1) & self->mask;
        }
    }
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
}

#define TERM_WEIGHT 2 /* tm.memory.indexing.TERM_WEIGHT */
#define MOST_SHARED ((255 - SKETCH_BITS) / TERM_WEIGHT)
#define SKETCHED ((1u << SKETCH_BITS) - 1)

/* Tally.best: tm.memory.indexing.Tally.best, in two passes over the entries (ranks and
   their histogram, then the entries taken) and one over those tied at the cut-off. */
static PyObject *
tally_best(Tally *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "best() takes size, sketched, unread, terms and length");
        return NULL;
    }
    long long asked[5]; /* size, sketched, unread, terms, length */
    for (int k = 0; k < 5; k++) {
        asked[k] = PyLong_AsLongLong(args[k]);
        if (asked[k] == -1 && PyErr_Occurred())
            return NULL;
    }
    long long size = asked[0], sketched = asked[1], unread = asked[2], terms = asked[3], length = asked[4];
    if (unread < 0 || unread > terms) {
        PyErr_SetString(PyExc_ValueError, "the terms not read are some of the terms");
        return NULL;
    }
    if (size < 1 || length < 0) {
        PyErr_SetString(PyExc_ValueError, "a size is 1 or more, a length 0 or more");
        return NULL;
    }
    uint8_t scaled[SKETCH_BITS + 1]; /* agreement -> its part for the terms not read */
    for (long long value = 0; value <= SKETCH_BITS; value++)
        scaled[value] = (uint8_t)(value * unread / (terms > 1 ? terms : 1));
    Py_ssize_t n = self->size;
    uint8_t *ranks = PyMem_Malloc(n ? n : 1);
    if (ranks == NULL)
        return PyErr_NoMemory();
    Py_ssize_t histogram[256] = {0};
    uint64_t sketch = (uint64_t)sketched & SKETCHED;
    for (Py_ssize_t i = 0; i < n; i++) {
        int agreeing = SKETCH_BITS - __builtin_popcountll((self->entries[i] ^ sketch) & SKETCHED);
        int shared = self->counts[i] < MOST_SHARED ? self->counts[i] : MOST_SHARED;
        ranks[i] = (uint8_t)(shared * TERM_WEIGHT + scaled[agreeing]);
        histogram[ranks[i]]++;
    }
    /* the cut-off: the rank at which the `size` highest are reached, and how many of those
       equal to it are taken (all entries when there are fewer) */
    int cutoff = 0; /* none: every entry is counted once at least, and ranks above 0 */
    Py_ssize_t above = 0, room = 0; /* above: entries ranked above the cut-off */
    for (int rank = 255; rank > 0; rank--) {
        if (histogram[rank] && above + histogram[rank] >= size) {
            cutoff = rank;
            room = size - above;
            break;
        }
        above += histogram[rank];
    }
    PyObject *units = PyList_New(0);
    PyObject *seen = PySet_New(NULL);
    Py_ssize_t *apart = NULL;
    if (units == NULL || seen == NULL)
        goto failed;
    /* taken in three passes: above the cut-off, then the ties closer in length than the
       length at which they are cut, then as many as there is room for at that length */
    int pass = 0, passes = 1;
    Py_ssize_t nearest = 0, rest = 0;
    if (above + histogram[cutoff] > size) {
        passes = 3;
        /* how far each tie's length is from the sentence's */
        long long farthest = length > LONGEST ? length : LONGEST;
        apart = PyMem_Calloc(farthest + 1, sizeof(Py_ssize_t));
        if (apart == NULL) {
            PyErr_NoMemory();
            goto failed;
        }
        for (Py_ssize_t i = 0; i < n; i++) {
            if (ranks[i] == cutoff) {
                long long from = (long long)(self->entries[i] >> SKETCH_BITS & LONGEST) - length;
                apart[from < 0 ? -from : from]++;
            }
        }
        Py_ssize_t counted = 0;
        for (nearest = 0; nearest <= farthest; nearest++) {
            if (counted + apart[nearest] >= room) {
                rest = room - counted;
                break;
            }
            counted += apart[nearest];
        }
    }
    for (pass = 0; pass < passes; pass++) {
        for (Py_ssize_t i = 0; i < n; i++) {
            if (passes == 1) {
                if (ranks[i] < cutoff)
                    continue;
            } else if (pass == 0) {
                if (ranks[i] <= cutoff)
                    continue;
            } else {
                if (ranks[i] != cutoff)
                    continue;
                long long from = (long long)(self->entries[i] >> SKETCH_BITS & LONGEST) - length;
                long long distance = from < 0 ? -from : from;
                if (pass == 1 ? distance >= nearest : distance != nearest)
                    continue;
                if (pass == 2 && rest-- <= 0)
                    break;
            }
            PyObject *unit = PyLong_FromUnsignedLongLong(self->entries[i] >> UNIT_SHIFT);
            if (unit == NULL)
                goto failed;
            int known = PySet_Contains(seen, unit);
            if (known < 0 || (!known && (PySet_Add(seen, unit) < 0 || PyList_Append(units, unit) < 0))) {
                Py_DECREF(unit);
                goto failed;
            }
            Py_DECREF(unit);
        }
    }
    PyMem_Free(apart);
    PyMem_Free(ranks);
    Py_DECREF(seen);
    return units;
failed:
    PyMem_Free(apart);
    PyMem_Free(ranks);
    Py_XDECREF(seen);
    Py_XDECREF(units);
    return NULL;
}

static PyObject *
tally_entries(Tally *self, PyObject *Py_UNUSED(ignored))
{
    /* native byte order, as array("Q").frombytes reads it */
    return PyBytes_FromStringAndSize((const char *)self->entries, self->size * (Py_ssize_t)sizeof(uint64_t));
}

static PyObject *
tally_counts(Tally *self, PyObject *Py_UNUSED(ignored))
{
    return PyBytes_FromStringAndSize((const char *)self->counts, self->size);
}

static Py_ssize_t
tally_length(Tally *self)
{
    return self->size;
}

static void
tally_dealloc(Tally *self)
{
    PyMem_Free(self->entries);
    PyMem_Free(self->counts);
    PyMem_Free(self->slots);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMethodDef tally_methods[] = {
    {"add", (PyCFunction)(void (*)(void))tally_add, METH_FASTCALL,
     "Count each entry of packed (64-bit little-endian) entries, weight times (once by default)."},
    {"entries", (PyCFunction)tally_entries, METH_NOARGS, "The entries counted, in the order first read."},
    {"counts", (PyCFunction)tally_counts, METH_NOARGS, "Their counts, one byte each (255 at most)."},
    {"best", (PyCFunction)(void (*)(void))tally_best, METH_FASTCALL,
     "The units of the entries ranked highest (tm.memory.indexing.Tally.best)."},
    {NULL, NULL, 0, NULL},
};

static PySequenceMethods tally_sequence = {
    .sq_length = (lenfunc)tally_length,
};

static PyTypeObject TallyType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "tm.memory._terms.Tally",
    .tp_doc = "How many times each posting entry was read.",
    .tp_basicsize = sizeof(Tally),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_dealloc = (destructor)tally_dealloc,
    .tp_methods = tally_methods,
    .tp_as_sequence = &tally_sequence,
};

/* -- fingerprint: BLAKE2b with an 8-byte digest (RFC 7693) ------------------------------ */

static const uint64_t blake_iv[8] = {
    0x6A09E667F3BCC908ULL, 0xBB67AE8584CAA73BULL, 0x3C6EF372FE94F82BULL, 0xA54FF53A5F1D36F1ULL,
    0x510E527FADE682D1ULL, 0x9B05688C2B3E6C1FULL, 0x1F83D9ABFB41BD6BULL, 0x5BE0CD19137E2179ULL,
};

/* the message schedule: which words each round's eight mixings take (round r takes row
   r mod 10) */
static const uint8_t blake_sigma[10][16] = {
    {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15},
    {14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3},
    {11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4},
    {7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8},
    {9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13},
    {2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9},
    {12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11},
    {13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10},
    {6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5},
    {10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0},
};

static inline uint64_t
rotate_right(uint64_t x, int n)
{
    return (x >> n) | (x << (64 - n));
}

static inline uint64_t
little_endian_word(const uint8_t *p)
{
    uint64_t word = 0;
    for (int i = 7; i >= 0; i--)
        word = (word << 8) | p[i];
    return word;
}

#define BLAKE_MIX(a, b, c, d, x, y)                                                                          \
    do {                                                                                                     \
        v[a] = v[a] + v[b] + (x);                                                                            \
        v[d] = rotate_right(v[d] ^ v[a], 32);                                                                \
        v[c] = v[c] + v[d];                                                                                  \
        v[b] = rotate_right(v[b] ^ v[c], 24);                                                                \
        v[a] = v[a] + v[b] + (y);                                                                            \
        v[d] = rotate_right(v[d] ^ v[a], 16);                                                                \
        v[c] = v[c] + v[d];                                                                                  \
        v[b] = rotate_right(v[b] ^ v[c], 63);                                                                \
    } while (0)

/* Mix one 128-byte block into the state h; `counted` is the bytes hashed so far, this
   block included (texts here are far below 2^64 bytes: the counter's high word is 0). */
static void
blake_compress(uint64_t h[8], const uint8_t block[128], uint64_t counted, int last)
{
    uint64_t m[16], v[16];
    for (int i = 0; i < 16; i++)
        m[i] = little_endian_word(block + 8 * i);
    for (int i = 0; i < 8; i++) {
        v[i] = h[i];
        v[i + 8] = blake_iv[i];
    }
    v[12] ^= counted;
    if (last)
        v[14] = ~v[14];
    for (int round = 0; round < 12; round++) {
        const uint8_t *s = blake_sigma[round % 10];
        BLAKE_MIX(0, 4, 8, 12, m[s[0]], m[s[1]]);
        BLAKE_MIX(1, 5, 9, 13, m[s[2]], m[s[3]]);
        BLAKE_MIX(2, 6, 10, 14, m[s[4]], m[s[5]]);
        BLAKE_MIX(3, 7, 11, 15, m[s[6]], m[s[7]]);
        BLAKE_MIX(0, 5, 10, 15, m[s[8]], m[s[9]]);
        BLAKE_MIX(1, 6, 11, 12, m[s[10]], m[s[11]]);
        BLAKE_MIX(2, 7, 8, 13, m[s[12]], m[s[13]]);
        BLAKE_MIX(3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for (int i = 0; i < 8; i++)
        h[i] ^= v[i] ^ v[i + 8];
}

static PyObject *
fingerprint(PyObject *Py_UNUSED(module), PyObject *norm)
{
    if (!PyUnicode_Check(norm)) {
        PyErr_SetString(PyExc_TypeError, "fingerprint() takes a str");
        return NULL;
    }
    Py_ssize_t size;
    const char *utf8 = PyUnicode_AsUTF8AndSize(norm, &size);
    if (utf8 == NULL)
        return NULL;
    const uint8_t *data = (const uint8_t *)utf8;
    uint64_t h[8];
    memcpy(h, blake_iv, sizeof h);
    h[0] ^= 0x01010000ULL ^ 8; /* depth 1, fanout 1, no key, an 8-byte digest */
    uint64_t counted = 0;
    while (size > 128) {
        counted += 128;
        blake_compress(h, data, counted, 0);
        data += 128;
        size -= 128;
    }
    uint8_t last[128] = {0};
    memcpy(last, data, (size_t)size);
    blake_compress(h, last, counted + (uint64_t)size, 1);
    /* the digest is h[0]'s bytes, lowest first; read big-endian, signed */
    uint64_t read = 0;
    for (int i = 0; i < 8; i++)
        read = (read << 8) | ((h[0] >> (8 * i)) & 0xFF);
    return PyLong_FromLongLong((long long)read);
}

/* indel_similarity: the longest common subsequence by the bit-parallel method of Hyyrö
   (as rapidfuzz computes it): one bit per character of the shorter text `a`, in 64-bit
   words; for each character of `b`, U = V & match(c), V = (V + U) | (V - U), the addition
   carried from word to word (the subtraction needs no borrow: U is within V). The LCS is
   the number of bits of V cleared. match(c) is the bit vector of the places of c in `a`:
   kept per distinct character of `a`, found by code point (directly below 256). */
typedef struct {
    Py_UCS4 *codes; /* open addressing, by code point; 0 marks an empty slot */
    Py_ssize_t *rows;
    Py_ssize_t mask;
    Py_ssize_t direct[256]; /* row + 1 of each character below 256; 0: absent from `a` */
} Places;

static Py_ssize_t
places_row(const Places *places, Py_UCS4 ch)
{
    if (ch < 256)
        return places->direct[ch] - 1;
    for (Py_ssize_t slot = (Py_ssize_t)(ch * 2654435761u) & places->mask;; slot = (slot + 1) & places->mask) {
        if (places->codes[slot] == ch)
            return places->rows[slot];
        if (places->codes[slot] == 0)
            return -1;
    }
}

static PyObject *
indel_similarity(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 2 || !PyUnicode_Check(args[0]) || !PyUnicode_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "indel_similarity(a: str, b: str)");
        return NULL;
    }
    PyObject *a = args[0], *b = args[1];
    if (PyUnicode_GET_LENGTH(a) > PyUnicode_GET_LENGTH(b)) { /* the shorter gives the bits */
        PyObject *swap = a;
        a = b;
        b = swap;
    }
    Py_ssize_t m = PyUnicode_GET_LENGTH(a), n = PyUnicode_GET_LENGTH(b);
    if (m + n == 0)
        return PyFloat_FromDouble(1.0);
    int a_kind = PyUnicode_KIND(a), b_kind = PyUnicode_KIND(b);
    const void *a_data = PyUnicode_DATA(a), *b_data = PyUnicode_DATA(b);
    Py_ssize_t words = (m + 63) / 64, slots = 16;
    while (slots < 2 * m)
        slots *= 2;
    PyObject *result = NULL;
    Places places;
    memset(places.direct, 0, sizeof places.direct);
    places.mask = slots - 1;
    places.codes = PyMem_Calloc((size_t)slots, sizeof(Py_UCS4));
    places.rows = PyMem_Calloc((size_t)slots, sizeof(Py_ssize_t));
    uint64_t *bits = NULL, *v = PyMem_Malloc((size_t)words * sizeof(uint64_t));
    if (places.codes == NULL || places.rows == NULL || v == NULL)
        goto done;
    Py_ssize_t distinct = 0; /* a row of bits for each distinct character of `a` */
    for (Py_ssize_t i = 0; i < m; i++) {
        Py_UCS4 ch = PyUnicode_READ(a_kind, a_data, i);
        if (places_row(&places, ch) >= 0)
            continue;
        if (ch < 256)
            places.direct[ch] = distinct + 1;
        else {
            Py_ssize_t slot = (Py_ssize_t)(ch * 2654435761u) & places.mask;
            while (places.codes[slot] != 0)
                slot = (slot + 1) & places.mask;
            places.codes[slot] = ch;
            places.rows[slot] = distinct;
        }
        distinct++;
    }
    bits = PyMem_Calloc((size_t)(distinct * words), sizeof(uint64_t));
    if (bits == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < m; i++)
        bits[places_row(&places, PyUnicode_READ(a_kind, a_data, i)) * words + i / 64] |= (uint64_t)1 << (i % 64);
    for (Py_ssize_t w = 0; w < words; w++)
        v[w] = ~(uint64_t)0;
    for (Py_ssize_t j = 0; j < n; j++) {
        Py_ssize_t row = places_row(&places, PyUnicode_READ(b_kind, b_data, j));
        if (row < 0) /* in no place of `a`: V stays as it is */
            continue;
        const uint64_t *match = bits + row * words;
        uint64_t carry = 0;
        for (Py_ssize_t w = 0; w < words; w++) {
            uint64_t u = v[w] & match[w];
            uint64_t sum = v[w] + u;
            uint64_t carried = sum + carry;
            carry = (sum < v[w]) | (carried < sum);
            v[w] = carried | (v[w] - u);
        }
    }
    Py_ssize_t common = 0;
    for (Py_ssize_t w = 0; w < words; w++) {
        uint64_t cleared = ~v[w];
        if (w == words - 1 && m % 64)
            cleared &= ((uint64_t)1 << (m % 64)) - 1;
        common += __builtin_popcountll(cleared);
    }
    /* as rapidfuzz: the normalised distance, then 1 minus it */
    result = PyFloat_FromDouble(1.0 - (double)(m + n - 2 * common) / (double)(m + n));
done:
    PyMem_Free(places.codes);
    PyMem_Free(places.rows);
    PyMem_Free(bits);
    PyMem_Free(v);
    return result != NULL || PyErr_Occurred() ? result : PyErr_NoMemory();
}

static PyMethodDef methods[] = {
    {"terms_and_sketch", terms_and_sketch, METH_O, "A normalised text's index terms (a set) and their sketch."},
    {"normalise_simple", (PyCFunction)(void (*)(void))normalise_simple, METH_FASTCALL,
     "tm.memory.normalise.normalise for simple texts; None for others."},
    {"fingerprint", fingerprint, METH_O, "tm.memory.normalise.fingerprint."},
    {"indel_similarity", (PyCFunction)(void (*)(void))indel_similarity, METH_FASTCALL,
     "tm.memory.scoring.indel_similarity: rapidfuzz's Indel.normalized_similarity."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_terms", "Index terms and sketches, compiled.", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__terms(void)
{
    crc_init();
    if (PyType_Ready(&TallyType) < 0 || PyType_Ready(&RangeType) < 0)
        return NULL;
    PyObject *created = PyModule_Create(&module);
    if (created == NULL)
        return NULL;
    Py_INCREF(&TallyType);
    Py_INCREF(&RangeType);
    if (PyModule_AddObject(created, "Tally", (PyObject *)&TallyType) < 0
        || PyModule_AddObject(created, "Range", (PyObject *)&RangeType) < 0
        || PyModule_AddStringConstant(created, "DIGEST", DIGEST) < 0) {
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
