/* tm.memory._terms: a text's index terms and sketch, and an import's posting entries.

   The C of two Python definitions, which it must match exactly (tests/test_memory_terms.py)
   and which are used wherever this module is not built (see tm.memory.normalise.compiled):

   terms_and_sketch(norm) -> (set[str], int)
       tm.memory.normalise.terms_and_sketch:
       - tokens are runs of word characters as Python's re module reads \w in a str pattern
         (alphanumeric or '_'), each run of decimal digits (\d) written "0";
       - the terms are the adjacent pairs of tokens joined by a space, and the tokens
         themselves when there are three or fewer;
       - the sketch: bit b is set when more than half of the terms' CRC-32s (of their
         UTF-8) have it set, for the lowest SKETCH_BITS bits; past 255 terms, of the first
         255 in code-point order.

   index_text(grouped: dict[str, bytearray], uid: int, norm: str) -> None
       tm.memory.indexing.index_text: the text's posting entry (unit id, length, sketch;
       tm.memory.indexing.entry) appended, 64-bit little-endian, to each of its terms'
       entries.

   Tally: a Counter of posting entries, as a lookup reads them (tm.memory.indexing.Tally).

   Extracting terms is most of a large import's work; this does it about five times
   faster. Built by `make` (see the Makefile) with DIGEST, the BLAKE2b digest of this
   file, so that a copy built from an older file is never used. */

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

/* The terms of `norm` into the new set *terms, their hashes' bits counted into counts. */
static int
scan(PyObject *norm, PyObject **terms, Py_ssize_t *counts)
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
    *terms = PySet_New(NULL);
    if (text == NULL || bounds == NULL || *terms == NULL) {
        PyMem_Free(text);
        PyMem_Free(bounds);
        Py_CLEAR(*terms);
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
    int failed = 0;
    for (Py_ssize_t t = 0; t + 1 < tokens && !failed; t++) {
        Py_ssize_t first = bounds[2 * t + 1] - bounds[2 * t];
        Py_ssize_t second = bounds[2 * t + 3] - bounds[2 * t + 2];
        memcpy(pair, text + bounds[2 * t], first * sizeof(Py_UCS4));
        pair[first] = ' ';
        memcpy(pair + first + 1, text + bounds[2 * t + 2], second * sizeof(Py_UCS4));
        failed = add_term(*terms, pair, first + 1 + second, counts);
    }
    for (Py_ssize_t t = 0; tokens <= 3 && t < tokens && !failed; t++)
        failed = add_term(*terms, text + bounds[2 * t], bounds[2 * t + 1] - bounds[2 * t], counts);
    PyMem_Free(text);
    PyMem_Free(bounds);
    if (failed)
        Py_CLEAR(*terms);
    return failed;
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

/* index_text(grouped, uid, norm): append the text's entry (uid << UNIT_SHIFT | length <<
   SKETCH_BITS | sketch, 64-bit little-endian) to grouped[term], a bytearray, for each of
   its terms. */
static PyObject *
index_text(PyObject *Py_UNUSED(module), PyObject *const *args, Py_ssize_t nargs)
{
    if (nargs != 3 || !PyDict_Check(args[0])) {
        PyErr_SetString(PyExc_TypeError, "index_text(grouped: dict, uid: int, norm: str)");
        return NULL;
    }
    PyObject *grouped = args[0];
    unsigned long long uid = PyLong_AsUnsignedLongLong(args[1]);
    if (uid == (unsigned long long)-1 && PyErr_Occurred())
        return NULL;
    if (uid >= (1ull << (64 - UNIT_SHIFT))) {
        PyErr_SetString(PyExc_OverflowError, "unit id too large for a posting entry");
        return NULL;
    }
    unsigned long sketched;
    PyObject *terms = terms_of(args[2], &sketched);
    if (terms == NULL)
        return NULL;
    Py_ssize_t length = PyUnicode_GET_LENGTH(args[2]);
    unsigned long long value = uid << UNIT_SHIFT
        | (unsigned long long)(length < LONGEST ? length : LONGEST) << SKETCH_BITS | sketched;
    char bytes[8];
    for (int k = 0; k < 8; k++)
        bytes[k] = (char)(value >> (8 * k) & 0xFF);
    Py_ssize_t position = 0;
    PyObject *term;
    Py_hash_t hash;
    int failed = 0;
    while (!failed && _PySet_NextEntry(terms, &position, &term, &hash)) {
        PyObject *entries = _PyDict_GetItem_KnownHash(grouped, term, hash);
        if (entries == NULL) {
            if (PyErr_Occurred())
                break;
            entries = PyByteArray_FromStringAndSize(NULL, 0);
            failed = entries == NULL || _PyDict_SetItem_KnownHash(grouped, term, entries, hash) < 0;
            Py_XDECREF(entries); /* the dict holds it */
            if (failed)
                break;
        }
        else if (!PyByteArray_Check(entries)) {
            PyErr_SetString(PyExc_TypeError, "index_text: entries must be a bytearray");
            break;
        }
        Py_ssize_t size = PyByteArray_GET_SIZE(entries);
        failed = PyByteArray_Resize(entries, size + 8) < 0;
        if (!failed)
            memcpy(PyByteArray_AS_STRING(entries) + size, bytes, 8);
    }
    Py_DECREF(terms);
    if (PyErr_Occurred())
        return NULL;
    Py_RETURN_NONE;
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

static int
tally_grow(Tally *self)
{
    Py_ssize_t capacity = self->capacity ? 2 * self->capacity : 1024;
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
tally_add(Tally *self, PyObject *blob)
{
    Py_buffer view;
    if (PyObject_GetBuffer(blob, &view, PyBUF_SIMPLE) < 0)
        return NULL;
    const unsigned char *bytes = view.buf;
    Py_ssize_t n = view.len / 8;
    for (Py_ssize_t k = 0; k < n; k++) {
        uint64_t value = 0;
        for (int b = 7; b >= 0; b--) /* stored little-endian */
            value = value << 8 | bytes[8 * k + b];
        if (self->size == self->capacity && tally_grow(self) < 0) {
            PyBuffer_Release(&view);
            return NULL;
        }
        Py_ssize_t at = slot_of(value, self->mask);
        for (;;) {
            int32_t held = self->slots[at];
            if (held == 0) {
                self->slots[at] = (int32_t)(self->size + 1);
                self->entries[self->size] = value;
                self->counts[self->size] = 1;
                self->size++;
                break;
            }
            if (self->entries[held - 1] == value) {
                if (self->counts[held - 1] < 255)
                    self->counts[held - 1]++;
                break;
            }
            at = (at + 1) & self->mask;
        }
    }
    PyBuffer_Release(&view);
    Py_RETURN_NONE;
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
    {"add", (PyCFunction)tally_add, METH_O, "Count each entry of packed (64-bit little-endian) entries."},
    {"entries", (PyCFunction)tally_entries, METH_NOARGS, "The entries counted, in the order first read."},
    {"counts", (PyCFunction)tally_counts, METH_NOARGS, "Their counts, one byte each (255 at most)."},
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

static PyMethodDef methods[] = {
    {"terms_and_sketch", terms_and_sketch, METH_O, "A normalised text's index terms (a set) and their sketch."},
    {"index_text", (PyCFunction)(void (*)(void))index_text, METH_FASTCALL,
     "Append a text's posting entry to each of its terms' bytearrays in a dict."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_terms", "Index terms and sketches, compiled.", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__terms(void)
{
    crc_init();
    if (PyType_Ready(&TallyType) < 0)
        return NULL;
    PyObject *created = PyModule_Create(&module);
    if (created == NULL)
        return NULL;
    Py_INCREF(&TallyType);
    if (PyModule_AddObject(created, "Tally", (PyObject *)&TallyType) < 0
        || PyModule_AddStringConstant(created, "DIGEST", DIGEST) < 0) {
        Py_DECREF(&TallyType);
        Py_DECREF(created);
        return NULL;
    }
    return created;
}
