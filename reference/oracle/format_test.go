package main

import (
	"testing"

	"golang.org/x/exp/trace"
)

func TestQuotedEscapesEverythingButPrintableASCII(t *testing.T) {
	var all []byte
	for b := 0; b < 256; b++ {
		all = append(all, byte(b))
	}
	got := string(appendQuoted(nil, string(all)))
	// Printable ASCII minus '"' and '\' stays; 0x22, 0x5c and the rest are \xHH.
	want := `"`
	for b := 0; b < 256; b++ {
		switch {
		case b >= 0x20 && b <= 0x7e && b != '"' && b != '\\':
			want += string(rune(b))
		default:
			want += `\x` + string(hexDigits[b>>4]) + string(hexDigits[b&0xf])
		}
	}
	want += `"`
	if got != want {
		t.Fatalf("appendQuoted(all bytes)\n got %s\nwant %s", got, want)
	}
}

func TestQuotedKeepsInvalidUTF8AsBytes(t *testing.T) {
	got := string(appendQuoted(nil, "a\xff\xc3\xa9\"\\\n"))
	want := `"a\xff\xc3\xa9\x22\x5c\x0a"`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestMessageStaysOnOneLineAndKeepsQuotes(t *testing.T) {
	got := string(appendMessage(nil, "broken \"x\":\n[gen=1]\t\\"))
	want := `broken "x":\x0a[gen=1]\x09\x5c`
	if got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestHexBytesAndPC(t *testing.T) {
	if got := string(appendHexBytes(nil, nil)); got != "-" {
		t.Errorf("empty payload: got %q, want -", got)
	}
	if got := string(appendHexBytes(nil, []byte{0, 0xab, 0x10})); got != "00ab10" {
		t.Errorf("payload: got %q", got)
	}
	if got := string(appendPC(nil, 0)); got != "0x0" {
		t.Errorf("pc 0: got %q", got)
	}
	if got := string(appendPC(nil, 0x4A2B1C)); got != "0x4a2b1c" {
		t.Errorf("pc: got %q", got)
	}
}

func TestValues(t *testing.T) {
	cases := []struct {
		v    trace.Value
		want string
	}{
		{trace.Uint64Value(18446744073709551615), "u:18446744073709551615"},
		{trace.StringValue("a\"b"), `s:"a\x22b"`},
		{trace.Value{}, "bad"},
	}
	for _, c := range cases {
		if got := string(appendValue(nil, c.v)); got != c.want {
			t.Errorf("appendValue: got %q, want %q", got, c.want)
		}
	}
}
