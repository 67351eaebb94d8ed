// GitHub's CommonMark parser (cmark-gfm) and its table, strikethrough and autolink extensions,
// as Debian's libcmark-gfm-dev and libcmark-gfm-extensions-dev install them.
#include <cmark-gfm.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm-core-extensions.h>
