"""The hop-by-hop headers: they describe one connection, not the message (RFC 9110 7.6.1,
and RFC 2616 13.5.1's list). Never copied from an example, forwarded by the proxy, or saved
by a recording."""

HOP_BY_HOP = frozenset(
    {
        "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
        "te", "trailer", "trailers", "transfer-encoding", "upgrade",
    }
)  # fmt: skip
