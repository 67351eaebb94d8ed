// libvips, as Debian's libvips-dev installs it, behind a few plain functions: its own API
// takes option lists ending in NULL (C variadics), which Swift cannot call.
#include <vips/vips.h>

/// Starts libvips once for the process: no operation cache (each upload is resized once),
/// one worker thread per operation (the server has few cores and serves pages meanwhile).
static inline int commons_vips_start(void) {
    if (vips_init("commons")) return -1;
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_concurrency_set(1);
    return 0;
}

/// The name of the loader libvips would use for these bytes, or NULL.
static inline const char *commons_vips_loader(const void *data, size_t size) {
    return vips_foreign_find_load_buffer(data, size);
}

/// Reads only the header: the width and height as shown, after the EXIF orientation turns it
/// upright (orientations 5 to 8 swap them).
static inline int commons_vips_header(const void *data, size_t size, int *width, int *height) {
    VipsImage *image = vips_image_new_from_buffer(data, size, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) return -1;
    int orientation = 1;
    if (vips_image_get_typeof(image, "orientation") && vips_image_get_int(image, "orientation", &orientation)) orientation = 1;
    int turned = orientation >= 5 && orientation <= 8;
    *width = turned ? vips_image_get_height(image) : vips_image_get_width(image);
    *height = turned ? vips_image_get_width(image) : vips_image_get_height(image);
    g_object_unref(image);
    return 0;
}

/// A copy at most `width` pixels wide (never larger than the original), turned upright by its
/// EXIF orientation, in sRGB, decoded into memory (so it can be saved twice) and stripped of
/// every piece of metadata. NULL when the bytes cannot be decoded.
static inline VipsImage *commons_vips_thumbnail(const void *data, size_t size, int width) {
    VipsImage *lazy = NULL;
    if (vips_thumbnail_buffer((void *)data, size, &lazy, width, "height", 100000, "size", VIPS_SIZE_DOWN, NULL)) return NULL;
    VipsImage *out = vips_image_copy_memory(lazy);
    g_object_unref(lazy);
    if (!out) return NULL;
    gchar **fields = vips_image_get_fields(out);
    // Header fields (width, bands, ...) are not in the metadata table and stay; EXIF, XMP,
    // IPTC, the ICC profile (the pixels are sRGB now) and the orientation go.
    for (int i = 0; fields[i]; i++) vips_image_remove(out, fields[i]);
    g_strfreev(fields);
    return out;
}

static inline int commons_vips_width(VipsImage *image) { return vips_image_get_width(image); }
static inline int commons_vips_height(VipsImage *image) { return vips_image_get_height(image); }

/// Encodes as WebP or as progressive JPEG (transparency laid on white), without any metadata:
/// no EXIF, so no camera serial number or GPS position of where a photo was taken.
static inline int commons_vips_save(VipsImage *image, int webp, int quality, void **buffer, size_t *length) {
    if (webp) return vips_webpsave_buffer(image, buffer, length, "Q", quality, "strip", TRUE, NULL);
    VipsImage *flat = NULL;
    if (vips_image_hasalpha(image)) {
        double white[1] = {255.0};
        VipsArrayDouble *background = vips_array_double_new(white, 1);
        int failed = vips_flatten(image, &flat, "background", background, NULL);
        vips_area_unref(VIPS_AREA(background));
        if (failed) return -1;
    }
    int result = vips_jpegsave_buffer(
        flat ? flat : image, buffer, length, "Q", quality, "strip", TRUE, "interlace", TRUE, "optimize_coding", TRUE, NULL);
    if (flat) g_object_unref(flat);
    return result;
}

static inline void commons_vips_release(VipsImage *image) { g_object_unref(image); }
static inline void commons_vips_free(void *buffer) { g_free(buffer); }
static inline void commons_vips_clear_error(void) { vips_error_clear(); }
