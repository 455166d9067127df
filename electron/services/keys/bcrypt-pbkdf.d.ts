/** The bcrypt_pbkdf of OpenBSD (and OpenSSH's key files), ported to JavaScript; the package ships no types. */
declare module 'bcrypt-pbkdf' {
  const bcryptPbkdf: {
    /** Fills `key[0..keylen)`; returns 0, or -1 when an argument is out of range (empty passphrase or salt, rounds < 1). */
    pbkdf(pass: Uint8Array, passlen: number, salt: Uint8Array, saltlen: number, key: Uint8Array, keylen: number, rounds: number): number;
  };
  export default bcryptPbkdf;
}
