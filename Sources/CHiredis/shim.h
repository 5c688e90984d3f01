// The hiredis 0.14 (Debian libhiredis-dev) API as seen by Swift, plus the few
// static inline wrappers for what Swift cannot import or cannot call safely.
#ifndef C_HIREDIS_SHIM_H
#define C_HIREDIS_SHIM_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <sys/time.h>

// The <hiredis/...> spelling works with or without pkg-config's -I/usr/include/hiredis.
#include <hiredis/hiredis.h>

// struct timeval's field types differ between Glibc and Darwin; take microseconds instead.
static inline struct timeval CHiredisShim_timeval(long long micros) {
    struct timeval tv;
    tv.tv_sec = (time_t)(micros / 1000000);
    tv.tv_usec = (suseconds_t)(micros % 1000000);
    return tv;
}

// errno is captured right after the call, before any Swift code (allocation, ARC) can clobber it.
static inline redisContext *CHiredisShim_connectTCP(const char *host, int port, long long timeoutMicros,
                                                    int *savedErrno) {
    errno = 0;
    redisContext *c = redisConnectWithTimeout(host, port, CHiredisShim_timeval(timeoutMicros));
    *savedErrno = errno;
    return c;
}

static inline redisContext *CHiredisShim_connectUnix(const char *path, long long timeoutMicros, int *savedErrno) {
    errno = 0;
    redisContext *c = redisConnectUnixWithTimeout(path, CHiredisShim_timeval(timeoutMicros));
    *savedErrno = errno;
    return c;
}

static inline int CHiredisShim_setTimeout(redisContext *c, long long micros) {
    return redisSetTimeout(c, CHiredisShim_timeval(micros));
}

// redisGetReply hands back a void**; this types it and captures errno for timeout detection.
static inline int CHiredisShim_getReply(redisContext *c, redisReply **reply, int *savedErrno) {
    void *raw = NULL;
    errno = 0;
    int status = redisGetReply(c, &raw);
    *savedErrno = errno;
    *reply = (redisReply *)raw;
    return status;
}

// A subscriber waits for pushed messages without letting the socket timeout fire: in blocking mode
// hiredis treats a timed-out read as a broken context. A reply already parsed into the reader's
// buffer comes back at once; otherwise poll(2) waits up to timeoutMillis for the socket.
// Returns 1 with a reply, 0 when nothing arrived in time, -1 on error (the context is then unusable).
static inline int CHiredisShim_pollReply(redisContext *c, redisReply **reply, int timeoutMillis, int *savedErrno) {
    void *raw = NULL;
    *reply = NULL;
    *savedErrno = 0;
    if (redisGetReplyFromReader(c, &raw) != REDIS_OK) return -1;
    if (raw == NULL) {
        struct pollfd fd = { .fd = c->fd, .events = POLLIN, .revents = 0 };
        errno = 0;
        int ready = poll(&fd, 1, timeoutMillis);
        *savedErrno = errno;
        if (ready == 0 || (ready < 0 && errno == EINTR)) return 0;
        if (ready < 0) return -1;
        errno = 0;
        int status = redisGetReply(c, &raw);
        *savedErrno = errno;
        if (status != REDIS_OK) return -1;
    }
    *reply = (redisReply *)raw;
    return raw == NULL ? 0 : 1;
}

// fcntl is variadic. hiredis 0.14 does not set FD_CLOEXEC, so without this every process the
// bot spawns would inherit (and keep alive) its Redis sockets.
static inline int CHiredisShim_setCloseOnExec(redisContext *c) {
    int flags = fcntl(c->fd, F_GETFD);
    return flags == -1 ? -1 : fcntl(c->fd, F_SETFD, flags | FD_CLOEXEC);
}

// Fixed-size char arrays import into Swift as 128-element tuples.
static inline const char *CHiredisShim_errstr(const redisContext *c) {
    return c->errstr;
}

// hiredis 0.14 writes with write(2), which raises SIGPIPE on a socket the server closed; the
// default action kills the process. sigaction's handler union is spelled differently on Glibc
// and Darwin, hence C. A handler installed by the host application is left alone.
static inline void CHiredisShim_ignoreSIGPIPEIfDefault(void) {
    struct sigaction current;
    if (sigaction(SIGPIPE, NULL, &current) == 0 && current.sa_handler == SIG_DFL) {
        signal(SIGPIPE, SIG_IGN);
    }
}

#endif // C_HIREDIS_SHIM_H
