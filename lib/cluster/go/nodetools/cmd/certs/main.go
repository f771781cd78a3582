// Command certs writes the client certificates kube-apiserver presents on the real-node tier,
// each with a CA of its own: to aggregated APIs (metrics-server) as the front proxy, and to the
// kubelet.
//
//	certs -dir DIR   writes DIR/{front-proxy-client,kubelet-client}{-ca.crt,-ca.key,.crt,.key}
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"flag"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

func main() {
	dir := flag.String("dir", "", "where to write the certificates")
	flag.Parse()
	if *dir == "" {
		log.Fatal("usage: certs -dir DIR")
	}
	// The front proxy's identity, trusted by aggregated APIs through --requestheader-client-ca-file.
	client(*dir, "front-proxy-client", pkix.Name{CommonName: "front-proxy-client"})
	// The API server's identity towards the kubelet, in system:masters so the kubelet's webhook authorizes it.
	client(*dir, "kubelet-client", pkix.Name{CommonName: "kube-apiserver-kubelet-client", Organization: []string{"system:masters"}})
}

// client writes NAME-ca.crt, a CA of its own, and NAME.{crt,key}, a client certificate it signs.
func client(dir, name string, subject pkix.Name) {
	now := time.Now()
	caKey := key()
	caTemplate := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "todo-stack-" + name + "-ca"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(7 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, BasicConstraintsValid: true, IsCA: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	must(err)
	ca, err := x509.ParseCertificate(caDER)
	must(err)
	clientKey := key()
	clientDER, err := x509.CreateCertificate(rand.Reader, &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: subject,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(7 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, ca, &clientKey.PublicKey, caKey)
	must(err)
	write(dir, name+"-ca", caDER, caKey)
	write(dir, name, clientDER, clientKey)
}

func key() *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	return k
}

func write(dir, name string, der []byte, k *ecdsa.PrivateKey) {
	keyDER, err := x509.MarshalECPrivateKey(k)
	must(err)
	must(os.WriteFile(filepath.Join(dir, name+".crt"), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644))
	must(os.WriteFile(filepath.Join(dir, name+".key"), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600))
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
