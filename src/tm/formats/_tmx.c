/* The C of tm.formats.tmx._unit_parts for the units most TMX files hold.
 *
 * A large import's reader spends as much on taking each <tu> apart through lxml's element
 * API (a Python object for each child, attribute and text) as lxml spends parsing the file.
 * unit_parts() walks the <tu> that lxml's iterparse has built, as libxml2 nodes, and gives
 * what _unit_parts() gives. It takes the usual shape only: a <tu> of <tuv>, <prop> and
 * <note> children, each <seg> plain text, attributes plain values. For anything else (an
 * inline code, a <tuv> without a language or a <seg>, a value holding an entity, a DTD that
 * may give attributes defaults, elements in a namespace) it returns None and the caller
 * takes the unit apart in Python, which also reports the errors.
 *
 * Built by `make fast` against the headers of the lxml it runs with (LXML_VERSION is
 * checked when loaded, since it reads lxml's element struct), and stamped with this file's
 * digest like tm.memory._terms (see tm/compiled.py). Without a build the Python is used,
 * with the same results: tests/test_tmx_compiled.py holds them together.
 */

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>
#include <libxml/tree.h>
#include "lxml.etree.h"
#include "lxml-version.h"

#ifndef DIGEST
#define DIGEST ""
#endif

static PyTypeObject *element_type; /* lxml.etree._Element */

static const char XML_NAMESPACE[] = "http://www.w3.org/XML/1998/namespace";

/* An attribute's value as lxml's get() gives it: ABSENT, a plain value, or COMPLEX (made of
 * several nodes, such as an entity reference), which the Python takes care of. */
typedef enum { ABSENT, PLAIN, COMPLEX } Found;

static int is_named(const xmlNode *node, const char *name) {
    return node->type == XML_ELEMENT_NODE && node->ns == NULL && strcmp((const char *)node->name, name) == 0;
}

/* The attribute ``name`` of ``node`` (in the XML namespace when ``xml``), as ``*value``. */
static Found attribute(const xmlNode *node, const char *name, int xml, const xmlChar **value) {
    for (const xmlAttr *a = node->properties; a != NULL; a = a->next) {
        if (a->type != XML_ATTRIBUTE_NODE || strcmp((const char *)a->name, name) != 0)
            continue;
        if (xml ? (a->ns == NULL || strcmp((const char *)a->ns->href, XML_NAMESPACE) != 0) : a->ns != NULL)
            continue;
        if (a->children == NULL) {
            *value = (const xmlChar *)"";
            return PLAIN;
        }
        if (a->children->next != NULL || a->children->type != XML_TEXT_NODE || a->children->content == NULL)
            return COMPLEX;
        *value = a->children->content;
        return PLAIN;
    }
    return ABSENT;
}

/* Python's ``node.get(first) or node.get(second) or ""``: 0, or -1 for a COMPLEX value. */
static int either(const xmlNode *node, const char *first, const char *second, const xmlChar **value) {
    const char *names[2] = {first, second};
    *value = (const xmlChar *)"";
    for (int i = 0; i < 2; i++) {
        const xmlChar *found;
        Found kind = attribute(node, names[i], 0, &found);
        if (kind == COMPLEX)
            return -1;
        if (kind == PLAIN && found[0] != '\0') {
            *value = found;
            return 0;
        }
    }
    return 0;
}

static Py_ssize_t attribute_count(const xmlNode *node) {
    Py_ssize_t n = 0;
    for (const xmlAttr *a = node->properties; a != NULL; a = a->next)
        n += a->type == XML_ATTRIBUTE_NODE;
    return n;
}

/* What lxml counts in len(element): elements, comments, entity references, PIs. */
static int has_children(const xmlNode *node) {
    for (const xmlNode *c = node->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE || c->type == XML_COMMENT_NODE || c->type == XML_ENTITY_REF_NODE ||
            c->type == XML_PI_NODE)
            return 1;
    return 0;
}

/* lxml's element.text, or "" where it is None: the text and CDATA nodes at the start of
 * the children (XInclude markers skipped), joined. A new reference, or NULL with an error. */
static PyObject *text_of(const xmlNode *node) {
    const xmlNode *c = node->children;
    size_t size = 0, nodes = 0;
    const xmlChar *only = NULL;
    for (; c != NULL; c = c->next) {
        if (c->type == XML_XINCLUDE_START || c->type == XML_XINCLUDE_END)
            continue;
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            break;
        if (c->content != NULL && c->content[0] != '\0') {
            size += strlen((const char *)c->content);
            only = c->content;
            nodes++;
        }
    }
    if (nodes == 0)
        return PyUnicode_FromStringAndSize(NULL, 0);
    if (nodes == 1)
        return PyUnicode_DecodeUTF8((const char *)only, (Py_ssize_t)size, "strict");
    char *joined = PyMem_Malloc(size);
    if (joined == NULL)
        return PyErr_NoMemory();
    size_t at = 0;
    for (c = node->children; c != NULL; c = c->next) {
        if (c->type == XML_XINCLUDE_START || c->type == XML_XINCLUDE_END)
            continue;
        if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
            break;
        if (c->content != NULL) {
            size_t n = strlen((const char *)c->content);
            memcpy(joined + at, c->content, n);
            at += n;
        }
    }
    PyObject *text = PyUnicode_DecodeUTF8(joined, (Py_ssize_t)at, "strict");
    PyMem_Free(joined);
    return text;
}

static int blank(PyObject *text) {
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    for (Py_ssize_t i = 0, n = PyUnicode_GET_LENGTH(text); i < n; i++)
        if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i)))
            return 0;
    return 1;
}

static PyObject *decoded(const xmlChar *value) {
    return PyUnicode_DecodeUTF8((const char *)value, (Py_ssize_t)strlen((const char *)value), "strict");
}

/* Whether the document declares attributes in a DTD: lxml's get() then gives their
 * defaults for attributes a node does not carry. */
static int declares_attributes(const xmlDoc *doc) {
    return doc != NULL && ((doc->intSubset != NULL && doc->intSubset->attributes != NULL) ||
                           (doc->extSubset != NULL && doc->extSubset->attributes != NULL));
}

/* One <tuv>: ``variants[language(lang)] = text`` unless the text is blank; fills in the
 * translator and date from its attributes where the unit has none. 1: done, 0: for the
 * Python, -1: error. */
static int take_variant(const xmlNode *tuv, PyObject *variants, PyObject *language, const xmlChar **translator,
                        const xmlChar **date) {
    const xmlChar *lang;
    Found kind = attribute(tuv, "lang", 1, &lang);
    if (kind == COMPLEX)
        return 0;
    if (kind == ABSENT || lang[0] == '\0') {
        kind = attribute(tuv, "lang", 0, &lang);
        if (kind != PLAIN || lang[0] == '\0')
            return 0; /* without a language (or a complex one): the Python raises */
    }
    if ((**translator == '\0' || **date == '\0') && attribute_count(tuv) > 1) {
        if (**translator == '\0' && either(tuv, "changeid", "creationid", translator) < 0)
            return 0;
        if (**date == '\0' && either(tuv, "changedate", "creationdate", date) < 0)
            return 0;
    }
    const xmlNode *seg = tuv->children;
    while (seg != NULL && !is_named(seg, "seg"))
        seg = seg->next;
    if (seg == NULL || has_children(seg))
        return 0; /* no <seg> (an error), or inline codes */
    PyObject *text = text_of(seg);
    if (text == NULL)
        return -1;
    int done = 1;
    if (!blank(text)) {
        PyObject *code = decoded(lang);
        PyObject *short_code = code ? PyObject_CallOneArg(language, code) : NULL;
        done = short_code != NULL && PyDict_SetItem(variants, short_code, text) == 0 ? 1 : -1;
        Py_XDECREF(short_code);
        Py_XDECREF(code);
    }
    Py_DECREF(text);
    return done;
}

/* One <prop>: a provenance field (``props[PROPS[type]] = text``) or the unit's status. */
static int take_prop(const xmlNode *prop, PyObject *kinds, PyObject *props, PyObject **status) {
    const xmlChar *type;
    Found kind = attribute(prop, "type", 0, &type);
    if (kind == COMPLEX)
        return 0;
    PyObject *type_text = decoded(kind == PLAIN ? type : (const xmlChar *)"");
    if (type_text == NULL)
        return -1;
    PyObject *field = PyDict_GetItemWithError(kinds, type_text); /* borrowed */
    Py_DECREF(type_text);
    if (field == NULL && PyErr_Occurred())
        return -1;
    int is_status = field == NULL && kind == PLAIN && strcmp((const char *)type, "x-status") == 0;
    if (field == NULL && !is_status)
        return 1;
    PyObject *text = text_of(prop);
    if (text == NULL)
        return -1;
    int done = 1;
    if (field != NULL) {
        done = PyDict_SetItem(props, field, text) == 0 ? 1 : -1;
    } else if (PyUnicode_CompareWithASCIIString(text, "approved") == 0 ||
               PyUnicode_CompareWithASCIIString(text, "draft") == 0) {
        Py_INCREF(text);
        Py_SETREF(*status, text);
    }
    Py_DECREF(text);
    return done;
}

static PyObject *prop_or(PyObject *props, const char *name, PyObject *otherwise) {
    PyObject *value = PyDict_GetItemString(props, name); /* borrowed; no error raised */
    value = value != NULL ? value : otherwise;
    Py_INCREF(value);
    return value;
}

/* unit_parts(tu, origin, PROPS, language, provenance, iso_date): _unit_parts(tu, shown,
 * origin) as (variants, provenance, status, notes), or None for the Python to do. */
static PyObject *unit_parts(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)self;
    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "unit_parts takes six arguments");
        return NULL;
    }
    PyObject *tu = args[0], *origin = args[1], *kinds = args[2];
    PyObject *language = args[3], *provenance = args[4], *iso_date = args[5];
    if (!PyObject_TypeCheck(tu, element_type) || !PyDict_Check(kinds))
        Py_RETURN_NONE;
    const xmlNode *node = ((struct LxmlElement *)tu)->_c_node;
    if (node == NULL || node->type != XML_ELEMENT_NODE || declares_attributes(node->doc))
        Py_RETURN_NONE;

    const xmlChar *translator = (const xmlChar *)"", *date = (const xmlChar *)"";
    if (attribute_count(node) > 0 &&
        (either(node, "changeid", "creationid", &translator) < 0 || either(node, "changedate", "creationdate", &date) < 0))
        Py_RETURN_NONE;

    PyObject *variants = PyDict_New(), *props = PyDict_New(), *notes = PyList_New(0);
    PyObject *status = PyUnicode_FromString("approved");
    PyObject *result = NULL;
    if (variants == NULL || props == NULL || notes == NULL || status == NULL)
        goto done;
    for (const xmlNode *child = node->children; child != NULL; child = child->next) {
        if (child->type != XML_ELEMENT_NODE)
            continue; /* text between elements, comments and PIs: the Python skips them too */
        if (child->ns != NULL)
            goto python;
        int taken = 1;
        if (strcmp((const char *)child->name, "tuv") == 0) {
            taken = take_variant(child, variants, language, &translator, &date);
        } else if (strcmp((const char *)child->name, "prop") == 0) {
            taken = take_prop(child, kinds, props, &status);
        } else if (strcmp((const char *)child->name, "note") == 0) {
            PyObject *text = text_of(child);
            taken = text == NULL ? -1 : PyUnicode_GET_LENGTH(text) == 0 || PyList_Append(notes, text) == 0 ? 1 : -1;
            Py_XDECREF(text);
        }
        if (taken < 0)
            goto done;
        if (taken == 0)
            goto python;
    }

    PyObject *empty = PyUnicode_FromStringAndSize(NULL, 0);
    PyObject *fields[6] = {NULL};
    if (empty == NULL)
        goto done;
    fields[0] = prop_or(props, "release", empty);
    fields[1] = prop_or(props, "segment", empty);
    fields[2] = prop_or(props, "file", empty);
    fields[3] = decoded(translator);
    fields[4] = prop_or(props, "origin", origin);
    if (date[0] == '\0') {
        Py_INCREF(empty);
        fields[5] = empty;
    } else {
        PyObject *raw = decoded(date);
        fields[5] = raw ? PyObject_CallOneArg(iso_date, raw) : NULL;
        Py_XDECREF(raw);
    }
    Py_DECREF(empty);
    if (fields[3] != NULL && fields[5] != NULL) {
        PyObject *made = PyObject_Vectorcall(provenance, fields, 6, NULL);
        PyObject *noted = made ? PyList_AsTuple(notes) : NULL;
        if (noted != NULL)
            result = PyTuple_Pack(4, variants, made, status, noted);
        Py_XDECREF(noted);
        Py_XDECREF(made);
    }
    for (int i = 0; i < 6; i++)
        Py_XDECREF(fields[i]);
    goto done;
python:
    result = Py_NewRef(Py_None);
done:
    Py_XDECREF(variants);
    Py_XDECREF(props);
    Py_XDECREF(notes);
    Py_XDECREF(status);
    return result;
}

static PyMethodDef methods[] = {
    {"unit_parts", (PyCFunction)(void (*)(void))unit_parts, METH_FASTCALL,
     "unit_parts(tu, origin, PROPS, language, provenance, iso_date): the parts of a <tu>, or None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_tmx", "TMX units taken apart, compiled.", -1, methods, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__tmx(void) {
    PyObject *etree = PyImport_ImportModule("lxml.etree");
    if (etree == NULL)
        return NULL;
    element_type = (PyTypeObject *)PyObject_GetAttrString(etree, "_Element");
    Py_DECREF(etree);
    if (element_type == NULL)
        return NULL;
    if (!PyType_Check(element_type)) {
        PyErr_SetString(PyExc_ImportError, "lxml.etree._Element is not a type");
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddStringConstant(m, "DIGEST", DIGEST) < 0 ||
        PyModule_AddStringConstant(m, "LXML_VERSION", LXML_VERSION_STRING) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
