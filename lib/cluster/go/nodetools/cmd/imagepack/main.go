// Command imagepack writes an OCI image archive (an image layout in a tar file) that
// `ctr images import` reads, from a JSON description of each image: files, symlinks, empty
// folders, entrypoint, environment and user. No registry and no Docker are involved, and the
// output is byte-for-byte the same for the same input.
//
//	imagepack -spec images.json -out images.tar
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path"
	"sort"
	"strings"
	"time"
)

// Image is one image of the spec; Names are full references (docker.io/library/name:tag).
type Image struct {
	Names      []string          `json:"names"`
	Files      map[string]string `json:"files"`    // path in the image -> file on this machine
	Symlinks   map[string]string `json:"symlinks"` // path in the image -> link target
	Dirs       []string          `json:"dirs"`     // empty folders, owned by the image's user
	Entrypoint []string          `json:"entrypoint"`
	Cmd        []string          `json:"cmd"`
	Env        map[string]string `json:"env"`
	User       string            `json:"user"` // uid:gid
	WorkingDir string            `json:"workingDir"`
}

type Spec struct {
	Images []Image `json:"images"`
}

type descriptor struct {
	MediaType   string            `json:"mediaType"`
	Digest      string            `json:"digest"`
	Size        int               `json:"size"`
	Annotations map[string]string `json:"annotations,omitempty"`
	Platform    *platform         `json:"platform,omitempty"`
}

type platform struct {
	Architecture string `json:"architecture"`
	OS           string `json:"os"`
}

var epoch = time.Unix(0, 0).UTC()

func main() {
	specFile := flag.String("spec", "", "the JSON description of the images")
	out := flag.String("out", "", "the archive to write")
	arch := flag.String("arch", "amd64", "the images' architecture")
	flag.Parse()
	if *specFile == "" || *out == "" {
		log.Fatal("usage: imagepack -spec images.json -out images.tar")
	}
	raw, err := os.ReadFile(*specFile)
	if err != nil {
		log.Fatal(err)
	}
	var spec Spec
	if err := json.Unmarshal(raw, &spec); err != nil {
		log.Fatalf("%s: %v", *specFile, err)
	}
	blobs := map[string][]byte{}
	var manifests []descriptor
	for _, img := range spec.Images {
		ds, err := pack(img, *arch, blobs)
		if err != nil {
			log.Fatalf("image %v: %v", img.Names, err)
		}
		manifests = append(manifests, ds...)
	}
	index, _ := json.Marshal(map[string]any{"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": manifests})
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	write := func(name string, data []byte) {
		must(tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: epoch, Typeflag: tar.TypeReg}))
		_, err := tw.Write(data)
		must(err)
	}
	write("oci-layout", []byte(`{"imageLayoutVersion":"1.0.0"}`))
	write("index.json", index)
	digests := make([]string, 0, len(blobs))
	for d := range blobs {
		digests = append(digests, d)
	}
	sort.Strings(digests)
	for _, d := range digests {
		write("blobs/sha256/"+strings.TrimPrefix(d, "sha256:"), blobs[d])
	}
	must(tw.Close())
	must(os.WriteFile(*out, buf.Bytes(), 0o644))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// pack adds one image's blobs and returns a manifest descriptor per name.
func pack(img Image, arch string, blobs map[string][]byte) ([]descriptor, error) {
	if len(img.Names) == 0 {
		return nil, fmt.Errorf("no names")
	}
	uid, gid := 0, 0
	if img.User != "" {
		if _, err := fmt.Sscanf(img.User, "%d:%d", &uid, &gid); err != nil {
			return nil, fmt.Errorf("user %q is not uid:gid", img.User)
		}
	}
	layer, diffID, err := layerOf(img, uid, gid)
	if err != nil {
		return nil, err
	}
	blobs[digest(layer)] = layer
	env := make([]string, 0, len(img.Env)+1)
	env = append(env, "PATH=/bin:/usr/bin")
	keys := make([]string, 0, len(img.Env))
	for k := range img.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env = append(env, k+"="+img.Env[k])
	}
	config, _ := json.Marshal(map[string]any{
		"architecture": arch, "os": "linux", "created": epoch.Format(time.RFC3339),
		"config": map[string]any{"Entrypoint": img.Entrypoint, "Cmd": img.Cmd, "Env": env, "User": img.User, "WorkingDir": img.WorkingDir},
		"rootfs": map[string]any{"type": "layers", "diff_ids": []string{diffID}},
	})
	blobs[digest(config)] = config
	manifest, _ := json.Marshal(map[string]any{
		"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
		"config": descriptor{MediaType: "application/vnd.oci.image.config.v1+json", Digest: digest(config), Size: len(config)},
		"layers": []descriptor{{MediaType: "application/vnd.oci.image.layer.v1.tar+gzip", Digest: digest(layer), Size: len(layer)}},
	})
	blobs[digest(manifest)] = manifest
	var out []descriptor
	for _, name := range img.Names {
		tag := name[strings.LastIndex(name, ":")+1:]
		out = append(out, descriptor{
			MediaType: "application/vnd.oci.image.manifest.v1+json", Digest: digest(manifest), Size: len(manifest),
			Annotations: map[string]string{"io.containerd.image.name": name, "org.opencontainers.image.ref.name": tag},
			Platform:    &platform{Architecture: arch, OS: "linux"},
		})
	}
	return out, nil
}

// layerOf writes the image's one layer (gzip of a tar) and returns it and its diff ID.
func layerOf(img Image, uid, gid int) ([]byte, string, error) {
	var raw bytes.Buffer
	tw := tar.NewWriter(&raw)
	dirs := map[string]bool{}
	var addDir func(p string, owned bool) error
	addDir = func(p string, owned bool) error {
		p = strings.Trim(path.Clean(p), "/")
		if p == "" || p == "." || dirs[p] {
			return nil
		}
		if err := addDir(path.Dir(p), false); err != nil {
			return err
		}
		dirs[p] = true
		h := &tar.Header{Name: p + "/", Mode: 0o755, ModTime: epoch, Typeflag: tar.TypeDir}
		if owned {
			h.Uid, h.Gid = uid, gid
		}
		return tw.WriteHeader(h)
	}
	type entry struct{ kind, at, from string }
	var entries []entry
	for at, from := range img.Files {
		entries = append(entries, entry{"file", at, from})
	}
	for at, to := range img.Symlinks {
		entries = append(entries, entry{"link", at, to})
	}
	for _, d := range img.Dirs {
		entries = append(entries, entry{"dir", d, ""})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].at < entries[j].at })
	for _, e := range entries {
		name := strings.TrimPrefix(path.Clean(e.at), "/")
		switch e.kind {
		case "dir":
			if err := addDir(name, true); err != nil {
				return nil, "", err
			}
			continue
		}
		if err := addDir(path.Dir(name), false); err != nil {
			return nil, "", err
		}
		switch e.kind {
		case "file":
			data, err := os.ReadFile(e.from)
			if err != nil {
				return nil, "", err
			}
			if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o755, Size: int64(len(data)), ModTime: epoch, Typeflag: tar.TypeReg}); err != nil {
				return nil, "", err
			}
			if _, err := tw.Write(data); err != nil {
				return nil, "", err
			}
		case "link":
			if err := tw.WriteHeader(&tar.Header{Name: name, Linkname: e.from, Mode: 0o777, ModTime: epoch, Typeflag: tar.TypeSymlink}); err != nil {
				return nil, "", err
			}
		}
	}
	if err := tw.Close(); err != nil {
		return nil, "", err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestSpeed)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return nil, "", err
	}
	if err := zw.Close(); err != nil {
		return nil, "", err
	}
	return gz.Bytes(), digest(raw.Bytes()), nil
}
