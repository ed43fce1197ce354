/* The shortlist's inner loop in C: IDF-weighted overlap of a query's posting lists (index.py).
 *
 * ranked(lists, total, cut, limit) -> [item, ...]
 *   lists: [(array('i'), weight), ...], rarest first, as `CandidateIndex._ranked` takes them.
 * Returns the items whose summed weight reaches `cut`, best first, ties in the order the items were first
 * met, at most `limit` (all when negative). The sums are exactly those of the Python loop (the same
 * additions in the same order), and the order is that of its stable sort. `index.py` falls back to that
 * loop when this module is not built; benchmarks/parity.py checks both give the same answers.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

typedef struct {
    int32_t *keys; /* -1: empty */
    double *vals;
    size_t mask;
    int shift;
} Table;

static size_t slot_of(const Table *t, int32_t key) {
    /* Fibonacci hashing: the product's high bits, so items with equal low bits do not collide. */
    size_t h = (size_t)(((uint32_t)key * 2654435769u) >> t->shift);
    while (t->keys[h] != -1 && t->keys[h] != key)
        h = (h + 1) & t->mask;
    return h;
}

static int read_list(PyObject *pair, Py_buffer *view, double *weight) {
    if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2) {
        PyErr_SetString(PyExc_TypeError, "expected (array('i'), weight) pairs");
        return -1;
    }
    *weight = PyFloat_AsDouble(PyTuple_GET_ITEM(pair, 1));
    if (*weight == -1.0 && PyErr_Occurred())
        return -1;
    if (PyObject_GetBuffer(PyTuple_GET_ITEM(pair, 0), view, PyBUF_FORMAT) < 0)
        return -1;
    if (view->itemsize != 4 || view->format == NULL || strcmp(view->format, "i") != 0) {
        PyBuffer_Release(view);
        PyErr_SetString(PyExc_TypeError, "posting lists must be array('i')");
        return -1;
    }
    return 0;
}

typedef struct {
    double score;
    size_t first; /* when the item was first met */
    int32_t item;
} Found;

static int better(const void *a, const void *b) {
    const Found *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->first < y->first ? -1 : (x->first > y->first);
}

static PyObject *ranked(PyObject *self, PyObject *args) {
    PyObject *lists;
    double total, cut;
    Py_ssize_t limit;
    if (!PyArg_ParseTuple(args, "O!ddn", &PyList_Type, &lists, &total, &cut, &limit))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(lists);
    /* Room for every item the first phase may add: the lists read while `left` still reaches the cut. */
    size_t room = 0;
    double left = total;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_buffer view;
        double w;
        if (read_list(PyList_GET_ITEM(lists, i), &view, &w) < 0)
            return NULL;
        if (left + 1e-9 >= cut)
            room += (size_t)(view.len / 4);
        PyBuffer_Release(&view);
        left -= w;
    }
    size_t cap = 16;
    int bits = 4;
    while (cap < 2 * room + 1) {
        cap <<= 1;
        bits++;
    }
    Table t = {PyMem_Malloc(cap * sizeof(int32_t)), PyMem_Malloc(cap * sizeof(double)), cap - 1, 32 - bits};
    int32_t *order = PyMem_Malloc((room + 1) * sizeof(int32_t));
    if (t.keys == NULL || t.vals == NULL || order == NULL) {
        PyMem_Free(t.keys); PyMem_Free(t.vals); PyMem_Free(order);
        return PyErr_NoMemory();
    }
    memset(t.keys, 0xff, cap * sizeof(int32_t));
    size_t met = 0;
    left = total;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_buffer view;
        double w;
        if (read_list(PyList_GET_ITEM(lists, i), &view, &w) < 0) {
            PyMem_Free(t.keys); PyMem_Free(t.vals); PyMem_Free(order);
            return NULL;
        }
        const int32_t *hits = (const int32_t *)view.buf;
        Py_ssize_t len = view.len / 4;
        if (left + 1e-9 >= cut) {
            for (Py_ssize_t j = 0; j < len; j++) {
                size_t h = slot_of(&t, hits[j]);
                if (t.keys[h] == -1) {
                    t.keys[h] = hits[j];
                    t.vals[h] = 0.0 + w;
                    order[met++] = hits[j];
                } else {
                    t.vals[h] = t.vals[h] + w;
                }
            }
        } else {
            for (Py_ssize_t j = 0; j < len; j++) {
                size_t h = slot_of(&t, hits[j]);
                if (t.keys[h] != -1)
                    t.vals[h] = t.vals[h] + w;
            }
        }
        PyBuffer_Release(&view);
        left -= w;
    }
    Found *found = PyMem_Malloc((met + 1) * sizeof(Found));
    if (found == NULL) {
        PyMem_Free(t.keys); PyMem_Free(t.vals); PyMem_Free(order);
        return PyErr_NoMemory();
    }
    /* The best `limit` by insertion into a short sorted run (items arrive in first-met order, so an equal
     * score goes after the ones already there); all of them, sorted, when limit is negative. */
    size_t kept = 0;
    size_t room_top = limit >= 0 ? (size_t)limit : met;
    for (size_t k = 0; k < met; k++) {
        Found f = {t.vals[slot_of(&t, order[k])], k, order[k]};
        if (f.score < cut)
            continue;
        if (limit < 0) {
            found[kept++] = f;
            continue;
        }
        if (kept == room_top && (room_top == 0 || better(&f, &found[kept - 1]) >= 0))
            continue;
        size_t at = kept < room_top ? kept++ : kept - 1;
        while (at > 0 && better(&f, &found[at - 1]) < 0) {
            found[at] = found[at - 1];
            at--;
        }
        found[at] = f;
    }
    PyMem_Free(t.keys); PyMem_Free(t.vals); PyMem_Free(order);
    if (limit < 0)
        qsort(found, kept, sizeof(Found), better);
    size_t size = (limit >= 0 && (size_t)limit < kept) ? (size_t)limit : kept;
    PyObject *out = PyList_New((Py_ssize_t)size);
    for (size_t k = 0; out != NULL && k < size; k++) {
        PyObject *item = PyLong_FromLong(found[k].item);
        if (item == NULL) {
            Py_CLEAR(out);
            break;
        }
        PyList_SET_ITEM(out, (Py_ssize_t)k, item);
    }
    PyMem_Free(found);
    return out;
}

static PyMethodDef methods[] = {
    {"ranked", ranked, METH_VARARGS, "Items of the posting lists by IDF-weighted overlap, best first."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_postings", NULL, -1, methods};

PyMODINIT_FUNC PyInit__postings(void) { return PyModule_Create(&module); }
