;; The prefilter's pass over an object's bytes (prefilter.ts), 16 bytes at a
;; time with WebAssembly SIMD. Two entry points:
;;
;; `records(...)` (below) is the whole pass: which records hold a needle, an
;; escape or a case pitfall, and which record starts are proven to lie at the
;; top level of Records.
;;
;; `run(from, to)` is the bracket count alone, for the JavaScript way (many
;; needles, very large objects; structure.ts, atTopLevel). It reads
;; memory[from, to) and carries the state from call to call: the bracket
;; depth ({ and [ open, } and ] close, outside strings), whether the scan is
;; inside a string, whether the previous byte was a backslash that escapes
;; the next one, and whether the depth ever went below zero. It returns -1
;; once the depth went below zero, -2 when `to` lies inside a string, else
;; the depth at `to`.
;;
;; Both count the same way. A block of 16 bytes with no backslash (and no
;; escape carried in) takes the fast way: every quote toggles the string
;; state, so the prefix XOR of the quote mask says which bytes lie inside a
;; string, and the brackets outside strings are counted with popcnt. A block
;; with a backslash, or one that could take the depth below zero, is read
;; byte by byte.
;;
;; Build: `npm run wasm` assembles this file into structure-wasm.ts.

(module
  (memory (export "memory") 1)
  (global $depth (mut i32) (i32.const 0))
  (global $inString (mut i32) (i32.const 0))
  (global $escaped (mut i32) (i32.const 0))
  (global $negative (mut i32) (i32.const 0))

  (func (export "reset")
    (global.set $depth (i32.const 0))
    (global.set $inString (i32.const 0))
    (global.set $escaped (i32.const 0))
    (global.set $negative (i32.const 0)))

  ;; One byte, the slow way.
  (func $byte (param $c i32)
    (if (global.get $inString)
      (then
        (if (global.get $escaped)
          (then (global.set $escaped (i32.const 0)) (return)))
        (if (i32.eq (local.get $c) (i32.const 0x5c))
          (then (global.set $escaped (i32.const 1)) (return)))
        (if (i32.eq (local.get $c) (i32.const 0x22))
          (then (global.set $inString (i32.const 0))))
        (return)))
    (if (i32.eq (local.get $c) (i32.const 0x22))
      (then (global.set $inString (i32.const 1)) (return)))
    ;; { is 0x7b and [ is 0x5b; } is 0x7d and ] is 0x5d: OR 0x20 folds each pair.
    (if (i32.eq (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x7b))
      (then (global.set $depth (i32.add (global.get $depth) (i32.const 1))) (return)))
    (if (i32.eq (i32.or (local.get $c) (i32.const 0x20)) (i32.const 0x7d))
      (then
        (global.set $depth (i32.sub (global.get $depth) (i32.const 1)))
        (if (i32.lt_s (global.get $depth) (i32.const 0))
          (then (global.set $negative (i32.const 1)))))))

  (func $bytes (param $p i32) (param $end i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (call $byte (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next))))

  (func (export "run") (param $p i32) (param $end i32) (result i32)
    (local $v v128)
    (local $quotes i32)
    (local $in i32)
    (local $out i32)
    (local $closes i32)
    (local $depth i32)
    (local $flip i32) ;; 0xffff inside a string, else 0
    (local.set $depth (global.get $depth))
    (local.set $flip (i32.mul (global.get $inString) (i32.const 0xffff)))
    (block $blocks_done
      (loop $block
        (br_if $blocks_done (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $quotes (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))))
        ;; in: bit i set when byte i lies inside a string (a quote counts as inside when it opens one).
        (local.set $in (i32.xor (local.get $quotes) (i32.shl (local.get $quotes) (i32.const 1))))
        (local.set $in (i32.xor (local.get $in) (i32.shl (local.get $in) (i32.const 2))))
        (local.set $in (i32.xor (local.get $in) (i32.shl (local.get $in) (i32.const 4))))
        (local.set $in (i32.and
          (i32.xor (i32.xor (local.get $in) (i32.shl (local.get $in) (i32.const 8))) (local.get $flip))
          (i32.const 0xffff)))
        (local.set $out (i32.xor (local.get $in) (i32.const 0xffff)))
        (local.set $closes (i32.popcnt (i32.and (local.get $out)
          (i8x16.bitmask (i8x16.eq (v128.or (local.get $v) (i8x16.splat (i32.const 0x20))) (i8x16.splat (i32.const 0x7d)))))))
        ;; A backslash, an escape carried in, or more closes than the depth (it
        ;; could go below zero inside the block): read the block byte by byte.
        (if (i32.or
              (i32.or (global.get $escaped) (i32.gt_u (local.get $closes) (local.get $depth)))
              (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c)))))
          (then
            (global.set $depth (local.get $depth))
            (global.set $inString (i32.ne (local.get $flip) (i32.const 0)))
            (call $bytes (local.get $p) (i32.add (local.get $p) (i32.const 16)))
            (local.set $depth (global.get $depth))
            (local.set $flip (i32.mul (global.get $inString) (i32.const 0xffff))))
          (else
            (local.set $depth (i32.sub
              (i32.add (local.get $depth) (i32.popcnt (i32.and (local.get $out)
                (i8x16.bitmask (i8x16.eq (v128.or (local.get $v) (i8x16.splat (i32.const 0x20))) (i8x16.splat (i32.const 0x7b)))))))
              (local.get $closes)))
            (local.set $flip (i32.mul (i32.shr_u (local.get $in) (i32.const 15)) (i32.const 0xffff)))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    (global.set $depth (local.get $depth))
    (global.set $inString (i32.ne (local.get $flip) (i32.const 0)))
    (call $bytes (local.get $p) (local.get $end))
    (if (global.get $negative) (then (return (i32.const -1))))
    (if (global.get $inString) (then (return (i32.const -2))))
    (global.get $depth))

  ;; ---------------------------------------------------------------------------
  ;; `records(text, end, starts, marks)`: the whole prefilter in one pass over
  ;; memory[text, end) (the Records list, from its first record up to the `]`
  ;; that closes it; 32 zero bytes must follow `end`). It finds every record
  ;; start (each `{"eventVersion":`, as prefilter.ts defines them) and writes
  ;; their addresses to `starts`, and one byte per start to `marks` (zeroed by
  ;; the caller): bit 1 when the start lies at depth 0 outside strings and the
  ;; depth never went below 0 before it; bit 0 when the record holds a needle, a
  ;; `\u` or `\/` escape, U+0130 or U+212A. It returns the number of starts, or
  ;; -1 when a start does not follow a comma (not CloudTrail's layout).
  ;;
  ;; Needles (ASCII, lowercase, at least 4 bytes) are found with a Teddy-style
  ;; filter: each needle has a byte pair (at offset f in it) and a bucket bit;
  ;; four 16-entry tables at address 0 (pair byte 1 by low nibble, by high
  ;; nibble, then pair byte 2 likewise) give, for each input byte lowered
  ;; with OR 0x20, the buckets whose pair may start there. A candidate is then
  ;; compared in full, ignoring ASCII case, with each needle of its buckets.
  ;; Address 64..79 is scratch for one vector. The needle list is at 80: its
  ;; count, then per needle four i32 (bucket bits, f, length, address of its
  ;; bytes).

  (func $mark (param $marks i32) (param $k i32)
    (if (i32.ge_s (local.get $k) (i32.const 0))
      (then (i32.store8 (i32.add (local.get $marks) (local.get $k))
        (i32.or (i32.load8_u (i32.add (local.get $marks) (local.get $k))) (i32.const 1))))))

  ;; Does the needle of `len` bytes at `needle` occur at `at`, ignoring ASCII case?
  (func $same (param $at i32) (param $needle i32) (param $len i32) (result i32)
    (local $i i32) (local $n i32) (local $c i32)
    (block $differ
      (loop $next
        (if (i32.ge_u (local.get $i) (local.get $len)) (then (return (i32.const 1))))
        (local.set $n (i32.load8_u (i32.add (local.get $needle) (local.get $i))))
        (local.set $c (i32.load8_u (i32.add (local.get $at) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $n) (i32.const 0x61)) (i32.le_u (local.get $n) (i32.const 0x7a)))
          (then (local.set $c (i32.or (local.get $c) (i32.const 0x20)))))
        (br_if $differ (i32.ne (local.get $c) (local.get $n)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 0))

  ;; The record holding address `at`: the last start at or before it (searching back from `k`), or -1.
  (func $recordOf (param $at i32) (param $starts i32) (param $k i32) (result i32)
    (block $found
      (loop $back
        (br_if $found (i32.lt_s (local.get $k) (i32.const 0)))
        (br_if $found (i32.le_u (i32.load (i32.add (local.get $starts) (i32.shl (local.get $k) (i32.const 2)))) (local.get $at)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $back)))
    (local.get $k))

  (func (export "records") (param $p i32) (param $end i32) (param $starts i32) (param $marks i32) (result i32)
    (local $text i32) (local $count i32) (local $found i32)
    (local $v v128) (local $low v128) (local $m v128) (local $lo v128)
    (local $cand i32) (local $quotes i32) (local $in i32) (local $out i32) (local $closes i32)
    (local $depth i32) (local $inString i32) (local $escaped i32) (local $negative i32)
    (local $cur i32) (local $next i32) (local $stop i32) (local $i i32) (local $c i32)
    (local $bit i32) (local $at i32) (local $n i32) (local $entry i32) (local $s i32) (local $bucket i32)
    (local.set $text (local.get $p))
    (local.set $next (i32.const -1))
    (block $all_done
      (loop $block
        (br_if $all_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $stop (select (i32.add (local.get $p) (i32.const 16)) (local.get $end)
          (i32.le_u (i32.add (local.get $p) (i32.const 16)) (local.get $end))))
        (local.set $v (v128.load (local.get $p)))

        ;; Record starts: `{"e` here, then all of `{"eventVersion":`, preceded by
        ;; a comma unless it is the first byte (else not CloudTrail's layout: -1).
        ;; Found before the block is counted, so the count stops at each one.
        (local.set $found (i32.and
          (i8x16.bitmask (v128.and
            (v128.and
              (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x7b)))
              (i8x16.eq (v128.load (i32.add (local.get $p) (i32.const 1))) (i8x16.splat (i32.const 0x22))))
            (i8x16.eq (v128.load (i32.add (local.get $p) (i32.const 2))) (i8x16.splat (i32.const 0x65)))))
          (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $stop) (local.get $p))) (i32.const 1))))
        (block $starts_done
          (loop $start
            (br_if $starts_done (i32.eqz (local.get $found)))
            (local.set $at (i32.add (local.get $p) (i32.ctz (local.get $found))))
            (local.set $found (i32.and (local.get $found) (i32.sub (local.get $found) (i32.const 1))))
            (if (i32.and
                  (i64.eq (i64.load (local.get $at)) (i64.const 0x56746e657665227b))
                  (i64.eq (i64.load offset=8 (local.get $at)) (i64.const 0x3a226e6f69737265)))
              (then
                (if (i32.and (i32.ne (local.get $at) (local.get $text))
                      (i32.ne (i32.load8_u (i32.sub (local.get $at) (i32.const 1))) (i32.const 0x2c)))
                  (then (return (i32.const -1))))
                (i32.store (i32.add (local.get $starts) (i32.shl (local.get $count) (i32.const 2))) (local.get $at))
                (if (i32.eq (local.get $cur) (local.get $count)) (then (local.set $next (local.get $at))))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (br $start)))

        ;; Needle candidates: pair byte 1 here, pair byte 2 at the next byte.
        (local.set $low (v128.or (local.get $v) (i8x16.splat (i32.const 0x20))))
        (local.set $m (v128.and
          (i8x16.swizzle (v128.load (i32.const 0)) (v128.and (local.get $low) (i8x16.splat (i32.const 0x0f))))
          (i8x16.swizzle (v128.load (i32.const 16)) (i8x16.shr_u (local.get $low) (i32.const 4)))))
        (local.set $lo (v128.or (v128.load (i32.add (local.get $p) (i32.const 1))) (i8x16.splat (i32.const 0x20))))
        (local.set $m (v128.and (local.get $m) (v128.and
          (i8x16.swizzle (v128.load (i32.const 32)) (v128.and (local.get $lo) (i8x16.splat (i32.const 0x0f))))
          (i8x16.swizzle (v128.load (i32.const 48)) (i8x16.shr_u (local.get $lo) (i32.const 4))))))
        (local.set $cand (if (result i32) (v128.any_true (local.get $m))
          (then (i32.and
            (i32.xor (i8x16.bitmask (i8x16.eq (local.get $m) (i8x16.splat (i32.const 0)))) (i32.const 0xffff))
            (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $stop) (local.get $p))) (i32.const 1))))
          (else (i32.const 0))))

        ;; The bracket count: the fast way when nothing in the block needs a byte-by-byte look.
        (local.set $quotes (i8x16.bitmask (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x22)))))
        (local.set $in (i32.xor (local.get $quotes) (i32.shl (local.get $quotes) (i32.const 1))))
        (local.set $in (i32.xor (local.get $in) (i32.shl (local.get $in) (i32.const 2))))
        (local.set $in (i32.xor (local.get $in) (i32.shl (local.get $in) (i32.const 4))))
        (local.set $in (i32.and
          (i32.xor (i32.xor (local.get $in) (i32.shl (local.get $in) (i32.const 8))) (i32.mul (local.get $inString) (i32.const 0xffff)))
          (i32.const 0xffff)))
        (local.set $out (i32.xor (local.get $in) (i32.const 0xffff)))
        (local.set $closes (i32.popcnt (i32.and (local.get $out)
          (i8x16.bitmask (i8x16.eq (local.get $low) (i8x16.splat (i32.const 0x7d)))))))
        (if (i32.or
              (i32.or
                (i32.or (local.get $escaped) (i32.gt_u (local.get $closes) (local.get $depth)))
                ;; a backslash, or a byte >= 0x80
                (i8x16.bitmask (v128.or (i8x16.eq (local.get $v) (i8x16.splat (i32.const 0x5c))) (local.get $v))))
              (i32.or
                (i32.lt_u (local.get $stop) (i32.add (local.get $p) (i32.const 16)))
                (i32.lt_u (local.get $next) (local.get $stop))))
          (then
            ;; Byte by byte, record starts included; the count is $byte's, on the globals.
            (global.set $depth (local.get $depth))
            (global.set $inString (local.get $inString))
            (global.set $escaped (local.get $escaped))
            (global.set $negative (local.get $negative))
            (local.set $i (local.get $p))
            (block $bytes_done
              (loop $each_byte
                (br_if $bytes_done (i32.ge_u (local.get $i) (local.get $stop)))
                (if (i32.eq (local.get $i) (local.get $next))
                  (then
                    (if (i32.and (i32.eqz (global.get $depth)) (i32.eqz (i32.or (global.get $inString) (global.get $negative))))
                      (then (i32.store8 (i32.add (local.get $marks) (local.get $cur))
                        (i32.or (i32.load8_u (i32.add (local.get $marks) (local.get $cur))) (i32.const 2)))))
                    (local.set $cur (i32.add (local.get $cur) (i32.const 1)))
                    (local.set $next (if (result i32) (i32.lt_u (local.get $cur) (local.get $count))
                      (then (i32.load (i32.add (local.get $starts) (i32.shl (local.get $cur) (i32.const 2)))))
                      (else (i32.const -1))))))
                (local.set $c (i32.load8_u (local.get $i)))
                ;; U+0130 (C4 B0) and U+212A (E2 84 AA): their lowercase holds ASCII.
                (if (i32.ge_u (local.get $c) (i32.const 0x80))
                  (then
                    (if (i32.or
                          (i32.and (i32.eq (local.get $c) (i32.const 0xc4))
                            (i32.eq (i32.load8_u (i32.add (local.get $i) (i32.const 1))) (i32.const 0xb0)))
                          (i32.and (i32.eq (local.get $c) (i32.const 0xe2))
                            (i32.eq (i32.load16_u (i32.add (local.get $i) (i32.const 1))) (i32.const 0xaa84))))
                      (then (call $mark (local.get $marks) (i32.sub (local.get $cur) (i32.const 1)))))))
                ;; \uXXXX and \/ can spell a needle's characters: a backslash before u or /
                ;; marks its record, as the JavaScript way does (even when escaped itself).
                (if (i32.eq (local.get $c) (i32.const 0x5c))
                  (then
                    (local.set $n (i32.load8_u (i32.add (local.get $i) (i32.const 1))))
                    (if (i32.or (i32.eq (local.get $n) (i32.const 0x75)) (i32.eq (local.get $n) (i32.const 0x2f)))
                      (then (call $mark (local.get $marks) (i32.sub (local.get $cur) (i32.const 1)))))))
                (call $byte (local.get $c))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $each_byte)))
            (local.set $depth (global.get $depth))
            (local.set $inString (global.get $inString))
            (local.set $escaped (global.get $escaped))
            (local.set $negative (global.get $negative)))
          (else
            (local.set $depth (i32.sub
              (i32.add (local.get $depth) (i32.popcnt (i32.and (local.get $out)
                (i8x16.bitmask (i8x16.eq (local.get $low) (i8x16.splat (i32.const 0x7b)))))))
              (local.get $closes)))
            (local.set $inString (i32.shr_u (local.get $in) (i32.const 15)))))

        ;; Each candidate, in full, against the needles of its buckets.
        (if (local.get $cand)
          (then
            (v128.store (i32.const 64) (local.get $m))
            (block $cands_done
              (loop $each
                (br_if $cands_done (i32.eqz (local.get $cand)))
                (local.set $bit (i32.ctz (local.get $cand)))
                (local.set $cand (i32.and (local.get $cand) (i32.sub (local.get $cand) (i32.const 1))))
                (local.set $bucket (i32.load8_u (i32.add (i32.const 64) (local.get $bit))))
                (local.set $at (i32.add (local.get $p) (local.get $bit)))
                (local.set $entry (i32.const 84))
                (local.set $n (i32.load (i32.const 80)))
                (block $needles_done
                  (loop $needle
                    (br_if $needles_done (i32.eqz (local.get $n)))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (local.set $s (i32.sub (local.get $at) (i32.load offset=4 (local.get $entry))))
                    (if (i32.and
                          (i32.and (i32.ne (i32.and (i32.load (local.get $entry)) (local.get $bucket)) (i32.const 0))
                            (i32.ge_u (local.get $s) (local.get $text)))
                          (i32.le_u (i32.add (local.get $s) (i32.load offset=8 (local.get $entry))) (local.get $end)))
                      (then
                        (if (call $same (local.get $s) (i32.load offset=12 (local.get $entry)) (i32.load offset=8 (local.get $entry)))
                          (then
                            (call $mark (local.get $marks)
                              (call $recordOf (local.get $s) (local.get $starts) (i32.sub (local.get $cur) (i32.const 1))))
                            (br $needles_done)))))
                    (local.set $entry (i32.add (local.get $entry) (i32.const 16)))
                    (br $needle)))
                (br $each)))))

        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    (local.get $count)
  )
)
