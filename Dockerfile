# Build: a static binary, no cgo.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/adplan ./cmd/adplan
# The journal's directory (bot.journal's default), owned by the runtime user, so a
# named volume mounted there starts writable.
RUN mkdir -p /out/state/adplan

# Run: distroless, as the unprivileged "nonroot" user; the history and market data
# are embedded in the binary.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/adplan /adplan
COPY --from=build --chown=nonroot:nonroot /out/state /home/nonroot/.local/state
USER nonroot:nonroot
ENTRYPOINT ["/adplan"]
CMD ["serve"]
