;; The string-aware bracket count behind the prefilter's proof that a record
;; start lies at the top level of Records (prefilter.ts, marksAtTopLevel),
;; 16 bytes at a time with WebAssembly SIMD.
;;
;; `run(from, to)` reads memory[from, to) and carries the state from call to
;; call: the bracket depth ({ and [ open, } and ] close, outside strings),
;; whether the scan is inside a string, whether the previous byte was a
;; backslash that escapes the next one, and whether the depth ever went below
;; zero. It returns -1 once the depth went below zero, -2 when `to` lies
;; inside a string, else the depth at `to`.
;;
;; A block of 16 bytes with no backslash (and no escape carried in) takes the
;; fast way: every quote toggles the string state, so the prefix XOR of the
;; quote mask says which bytes lie inside a string, and the brackets outside
;; strings are counted with popcnt. A block with a backslash, or one that
;; could take the depth below zero, is read byte by byte.
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
)
