/* floor — the least a whole-pipeline check must do: walk the pipeline
 * directory and read its `.config` and `.nf` files, nothing else.
 *
 *   floor DIR
 *
 * It walks the tree the way `nf-preflight check` does (entries sorted by
 * name; names starting with '.' and directories named `work` skipped;
 * symbolic links to directories not followed; at most 64 levels) and reads
 * every regular `*.config` and `*.nf` file whole, each with one open, one
 * fstat and one read, each directory listed once. It prints
 *   files=N bytes=N
 * bench/run.sh times it beside `check` in the same run (issue 19): their
 * ratio is what the check costs over reading its input. Only libc, so its
 * start-up is the cheapest a C program has. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 64

static unsigned long long files, bytes, checksum;

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && memcmp(s + n - m, suffix, m) == 0;
}

typedef struct Entry {
    char *name;
    unsigned char type;   /* d_type from the listing */
} Entry;

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const Entry *)a)->name, ((const Entry *)b)->name);
}

/* One open+fstat+read: asking for one byte more than the size sees the end
 * of a regular file in the same read. */
static void read_file(int dirfd, const char *name)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        size_t want = (size_t)st.st_size + 1;
        char *buf = malloc(want);
        ssize_t got = buf ? read(fd, buf, want) : -1;
        if (got >= 0) {
            files++;
            bytes += (unsigned long long)got;
            for (ssize_t i = 0; i < got; i += 512) checksum += (unsigned char)buf[i];
        }
        free(buf);
    }
    close(fd);
}

static void walk(int dirfd, int depth)
{
    DIR *d = fdopendir(dirfd);
    if (!d) { close(dirfd); return; }
    Entry *ents = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            ents = realloc(ents, cap * sizeof *ents);
            if (!ents) exit(1);
        }
        ents[n].name = strdup(de->d_name);
        ents[n].type = de->d_type;
        if (!ents[n].name) exit(1);
        n++;
    }
    if (n) qsort(ents, n, sizeof *ents, entry_cmp);
    for (size_t i = 0; i < n; i++) {
        const char *name = ents[i].name;
        unsigned char type = ents[i].type;
        if (type == DT_UNKNOWN) {
            struct stat st;
            if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
            type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
        }
        if (type == DT_DIR) {
            if (depth < MAX_DEPTH && strcmp(name, "work") != 0) {
                int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                if (sub >= 0) walk(sub, depth + 1);
            }
        } else if ((type == DT_REG || type == DT_LNK) && (ends_with(name, ".nf") || ends_with(name, ".config"))) {
            read_file(dirfd, name);
        }
    }
    for (size_t i = 0; i < n; i++) free(ents[i].name);
    free(ents);
    closedir(d);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: floor DIR\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    walk(fd, 0);
    printf("files=%llu bytes=%llu\n", files, bytes);
    return checksum == 1 ? 3 : 0;   /* keeps the reads observable */
}
