// Command standin is the stand-in of one Todo service (frontend, backend or mcp) for the
// real-node tier of the cluster tests. It keeps each service's runtime contract from SPEC S0:
// it listens on the service's port, answers its health path, needs its Secret keys in the
// environment and a writable /tmp (and the frontend its Next.js cache) under a read-only root,
// calls its upstream through the ConfigMap's URL, drains on SIGTERM, and can burn CPU.
//
//	standin frontend|backend|mcp   serve as that service
//	standin service                serve as any other service: PORT from the environment, /health, a writable /tmp
//	standin inspect                print, as JSON, how the kernel sees PID 1 of this container
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

// role is what one service needs and serves.
type role struct {
	port     int
	health   string
	secrets  []string
	writable []string
	// upstream names the ConfigMap key that holds the URL of the service this one calls.
	upstream string
	// prefix is where the service's own API lives (the frontend's Next.js API routes).
	prefix string
}

var roles = map[string]role{
	"frontend": {port: 3000, health: "/api/health", secrets: []string{"BETTER_AUTH_SECRET"}, writable: []string{"/tmp", "/app/.next/cache"}, upstream: "BACKEND_URL", prefix: "/api"},
	"backend":  {port: 8000, health: "/health", secrets: []string{"DATABASE_URL", "OPENAI_API_KEY", "BETTER_AUTH_SECRET"}, writable: []string{"/tmp"}, upstream: "MCP_URL"},
	"mcp":      {port: 8001, health: "/health", writable: []string{"/tmp"}},
	// Any service a guide adds (README, "How to add a service"): its image sets PORT.
	"service": {health: "/health", writable: []string{"/tmp"}},
}

func main() {
	log.SetFlags(0)
	if len(os.Args) != 2 {
		log.Fatal("usage: standin frontend|backend|mcp|service|inspect")
	}
	if os.Args[1] == "inspect" {
		inspect(os.Stdout)
		return
	}
	r, ok := roles[os.Args[1]]
	if !ok {
		log.Fatalf("standin: unknown service %q", os.Args[1])
	}
	if err := serve(os.Args[1], r); err != nil {
		log.Fatalf("standin %s: %v", os.Args[1], err)
	}
}

func serve(name string, r role) error {
	for _, key := range r.secrets {
		if os.Getenv(key) == "" {
			return fmt.Errorf("the Secret key %s is not set in the environment", key)
		}
	}
	for _, dir := range r.writable {
		probe := filepath.Join(dir, ".standin-write-check")
		if err := os.WriteFile(probe, []byte(name), 0o600); err != nil {
			return fmt.Errorf("%s must be writable: %w", dir, err)
		}
		_ = os.Remove(probe)
	}
	port := r.port
	if p := os.Getenv("PORT"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil {
			return fmt.Errorf("PORT=%q is not a number", p)
		}
		port = n
	}
	if port == 0 {
		return errors.New("PORT is not set in the environment")
	}
	s := &service{name: name, role: r, version: os.Getenv("STANDIN_VERSION")}
	if r.upstream != "" {
		s.upstream = strings.TrimRight(os.Getenv(r.upstream), "/")
		if s.upstream == "" {
			return fmt.Errorf("the ConfigMap key %s is not set in the environment", r.upstream)
		}
	}
	srv := &http.Server{Addr: fmt.Sprintf(":%d", port), Handler: s.routes(), ReadHeaderTimeout: 5 * time.Second}
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return err
	}
	log.Printf("standin %s %s listening on %d (LOG_LEVEL=%s)", name, s.version, port, os.Getenv("LOG_LEVEL"))

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case sig := <-stop:
		// Graceful shutdown as a well-behaved service does it: fail readiness at once, keep
		// serving while the endpoint is taken out of every Service, then finish what is in flight.
		s.draining.Store(true)
		drain := seconds("STANDIN_DRAIN_SECONDS", 5)
		log.Printf("standin %s: %v, draining for %v", name, sig, drain)
		time.Sleep(drain)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return srv.Shutdown(ctx)
	}
}

func seconds(key string, fallback int) time.Duration {
	if n, err := strconv.Atoi(os.Getenv(key)); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	return time.Duration(fallback) * time.Second
}

type service struct {
	name     string
	role     role
	version  string
	upstream string
	draining atomic.Bool
}

func (s *service) routes() http.Handler {
	mux := http.NewServeMux()
	p := s.role.prefix
	mux.HandleFunc(s.role.health, s.health)
	mux.HandleFunc(p+"/whoami", s.whoami)
	mux.HandleFunc(p+"/chat", s.chat)
	mux.HandleFunc(p+"/burn", burn)
	mux.HandleFunc(p+"/env", env)
	mux.HandleFunc(p+"/fetch", fetch)
	if s.upstream != "" {
		// The upstream's own routes, through this service: /upstream/<path> calls <upstream>/<path>.
		mux.HandleFunc(p+"/upstream/", func(w http.ResponseWriter, r *http.Request) {
			s.relay(w, r, "/"+strings.TrimPrefix(r.URL.Path, p+"/upstream/"))
		})
	}
	if s.name == "frontend" {
		mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<!doctype html><title>Todo</title><p>todo-frontend stand-in %s</p>\n", s.version)
		})
	}
	return mux
}

// health fails while draining, or always when STANDIN_FAIL_HEALTH is set (a failing probe on purpose).
func (s *service) health(w http.ResponseWriter, _ *http.Request) {
	if s.draining.Load() {
		http.Error(w, "draining", http.StatusServiceUnavailable)
		return
	}
	if reason := os.Getenv("STANDIN_FAIL_HEALTH"); reason != "" {
		http.Error(w, "unhealthy (STANDIN_FAIL_HEALTH="+reason+")", http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, "ok")
}

func (s *service) identity() map[string]string {
	host, _ := os.Hostname()
	return map[string]string{"service": s.name, "pod": host, "version": s.version}
}

func (s *service) whoami(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.identity())
}

// chat is the S0 flow: frontend to backend to MCP, each hop through its ConfigMap URL.
func (s *service) chat(w http.ResponseWriter, r *http.Request) {
	hops := []map[string]string{s.identity()}
	if s.upstream != "" {
		next, status, err := getJSON(r.Context(), s.upstream+"/chat")
		if err != nil || status != http.StatusOK {
			writeJSON(w, http.StatusBadGateway, map[string]any{"error": fmt.Sprintf("%s/chat: status %d, %v", s.upstream, status, err), "hops": hops})
			return
		}
		var rest struct{ Hops []map[string]string }
		if err := json.Unmarshal(next, &rest); err != nil {
			writeJSON(w, http.StatusBadGateway, map[string]any{"error": err.Error(), "hops": hops})
			return
		}
		hops = append(hops, rest.Hops...)
	}
	writeJSON(w, http.StatusOK, map[string]any{"hops": hops})
}

func (s *service) relay(w http.ResponseWriter, r *http.Request, path string) {
	target := s.upstream + path
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	body, status, err := getJSON(r.Context(), target)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// burn spends ?ms= milliseconds of CPU (at most 10 s), for the HPA tests.
func burn(w http.ResponseWriter, r *http.Request) {
	ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
	if err != nil || ms < 0 || ms > 10_000 {
		http.Error(w, "ms must be 0..10000", http.StatusBadRequest)
		return
	}
	deadline := time.Now().Add(time.Duration(ms) * time.Millisecond)
	x := 0
	for time.Now().Before(deadline) {
		for i := 0; i < 10_000; i++ {
			x += i * i
		}
	}
	writeJSON(w, http.StatusOK, map[string]int{"burnedMs": ms, "x": x & 1})
}

// env answers the value of ?name=, a ConfigMap key; Secret keys are refused, so no secret leaves.
func env(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	for _, rl := range roles {
		for _, secret := range rl.secrets {
			if name == secret {
				http.Error(w, "a Secret key", http.StatusForbidden)
				return
			}
		}
	}
	value, set := os.LookupEnv(name)
	writeJSON(w, http.StatusOK, map[string]any{"name": name, "set": set, "value": value})
}

// fetch tries ?url= from inside this pod and reports what happened, for the NetworkPolicy tests.
func fetch(w http.ResponseWriter, r *http.Request) {
	target := r.URL.Query().Get("url")
	if u, err := url.Parse(target); err != nil || (u.Scheme != "http") {
		http.Error(w, "url must be http://...", http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), seconds("STANDIN_FETCH_TIMEOUT_SECONDS", 3))
	defer cancel()
	_, status, err := getJSON(ctx, target)
	result := map[string]any{"url": target, "status": status, "ok": err == nil}
	if err != nil {
		result["error"] = err.Error()
		var dnsErr *net.DNSError
		result["dnsError"] = errors.As(err, &dnsErr)
	}
	writeJSON(w, http.StatusOK, result)
}

var client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 15 * time.Second}

func getJSON(ctx context.Context, target string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, 0, err
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return body, res.StatusCode, err
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
