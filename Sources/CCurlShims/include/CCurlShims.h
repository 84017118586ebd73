#ifndef CCURL_SHIMS_H
#define CCURL_SHIMS_H
#include <curl/curl.h>

/*
 * One-line, fixed-signature wrappers around libcurl's variadic functions,
 * which Swift cannot call directly. Each forwards its argument unchanged and
 * returns libcurl's result code; the caller checks it.
 */

/* MARK: - curl_easy_setopt */
CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
/* CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION (same C signature). */
CURLcode ccurl_easy_setopt_write_callback(CURL *handle, CURLoption option, curl_write_callback callback);
/* CURLOPT_XFERINFOFUNCTION. */
CURLcode ccurl_easy_setopt_xferinfo_callback(CURL *handle, CURLoption option, curl_xferinfo_callback callback);

/* MARK: - curl_easy_getinfo */
CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value);
CURLcode ccurl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value);
CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);

/* MARK: - curl_multi_setopt */
CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

#endif
