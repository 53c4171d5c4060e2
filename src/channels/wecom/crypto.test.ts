// WeCom callback crypto against the five published vector sets of ../shared/channels/PROTOCOLS.md
// §1.2 (official PHP and Python samples, wechatpy), both directions, and the ways it must fail.
import { describe, expect, it } from 'vitest';
import { decryptMessage, encryptMessage, signature, signatureMatches, WecomCryptoError, type WecomCryptoKeys } from './crypto.js';
import { field, readXml } from '../wx-xml.js';

const setA: WecomCryptoKeys = { token: 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo', encodingAESKey: '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt', receiveId: 'ww1436e0e65a779aee' };
const setB: WecomCryptoKeys = { token: 'QDG6eK', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: 'wx5823bf96d3bd56c7' };
const setC: WecomCryptoKeys = { token: '123456', encodingAESKey: 'kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR', receiveId: 'wx49f0ab532d5d035a' };

const A2_BODY =
  '<xml><ToUserName><![CDATA[ww1436e0e65a779aee]]></ToUserName>\n<Encrypt><![CDATA[Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLNshw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNfSsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+]]></Encrypt>\n<AgentID><![CDATA[1000002]]></AgentID>\n</xml>';
const B2_ENCRYPT =
  'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
const C2_PLAIN = '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>';
const C2_ENCRYPT =
  '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3';
const C3_ENCRYPT =
  'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof WecomCryptoError ? e.code : e;
  }
  return 'no error';
};

describe('WeCom crypto: published vectors (PROTOCOLS.md §1.2)', () => {
  it('A1 (official Python sample): URL verification', () => {
    const echostr = 'fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA==';
    expect(signature(setA.token, '1476416373', '47744683', echostr)).toBe('012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb');
    expect(decryptMessage(setA, echostr)).toBe('1288432023552776189');
  });

  it('A2 (official Python sample): a message whose pad is 22, over Node’s 16', () => {
    const encrypt = field(readXml(A2_BODY)!, 'Encrypt')!;
    expect(signatureMatches(setA, { timestamp: '1476422779', nonce: '1597212914', encrypt, signature: '0c3914025cb4b4d68103f6bfc8db550f79dcf48e' })).toBe(true);
    const plain = decryptMessage(setA, encrypt);
    expect(plain).toBe('<xml><ToUserName>ww1436e0e65a779aee</ToUserName><FromUserName>ChenJiaShun</FromUserName><CreateTime>1476422779</CreateTime><MsgType>text</MsgType><Content>你好</Content><MsgId>1456453720</MsgId><AgentID>1000002</AgentID></xml>');
    expect(Buffer.byteLength(plain)).toBe(228);
  });

  it('A-json (official Python JSON sample): decrypted bytes as published, malformed JSON and all', () => {
    const encrypt =
      'cjhLUX7UU4yCSelv1vz7T0zT8huF51bAMVWriNvO1FMegHrQZNrtvRxbwf0fUPsFvwqR0U0fgiJNEA5Y30F2MoI2S7vv3EjVQ68C0cjw9frBoUE2Hj0BvFp9h3u6Vbsg4lc1C8AtHdaN8orKuNKkLRLuYEL52R1J3v8olJGZRLnRdVKIivixmX/eQpzgeExtp20jI1HxRP1AAZ6xZoILdqDPO549LO4WeG+685JRUTdiwcY5fjZlqeMxuT4PpMn1X9OWsS7NRj06Wa5E3Tvg4twjWp39KPfOdRte6P1T4JU=';
    expect(signature(setA.token, '1409659813', '1372623149', encrypt)).toBe('e3647471e395139e2308c1fa963f2d648a00b90e');
    expect(decryptMessage(setA, encrypt)).toBe('{ "ToUserName": "wx5823bf96d3bd56c7", "FromUserName": :mycreate", "CreateTime": 1409659813, "MsgType": "text", "Content": "hello", "MsgId": 4561255354251345929, "AgentID": 218}');
  });

  it('B1 (official PHP sample): URL verification with the URL-encoded echostr', () => {
    const query = 'msg_signature=5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3&timestamp=1409659589&nonce=263014780&echostr=P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D';
    const echostr = decodeURIComponent(query.split('echostr=')[1]!);
    expect(echostr).toBe('P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==');
    expect(signatureMatches(setB, { timestamp: '1409659589', nonce: '263014780', encrypt: echostr, signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3' })).toBe(true);
    expect(decryptMessage(setB, echostr)).toBe('1616140317555161061');
  });

  it('B2 (official PHP sample): pad 30, and a MsgId over 2^53 kept exactly as a string', () => {
    expect(signature(setB.token, '1409659813', '1372623149', B2_ENCRYPT)).toBe('477715d11cdb4164915debcba66cb864d751f3e6');
    const plain = decryptMessage(setB, B2_ENCRYPT);
    expect(plain).toBe(
      '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName>\n<FromUserName><![CDATA[mycreate]]></FromUserName>\n<CreateTime>1409659813</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[hello]]></Content>\n<MsgId>4561255354251345929</MsgId>\n<AgentID>218</AgentID>\n</xml>',
    );
    expect(field(readXml(plain)!, 'MsgId')).toBe('4561255354251345929');
  });

  it('C1 (wechatpy): URL verification, and the nonce off by one refused', () => {
    const echostr = '4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==';
    const p = { timestamp: '1411443780', nonce: '437374425', encrypt: echostr, signature: 'dd6b9c95b495b3f7e2901bfbc76c664930ffdb96' };
    expect(signatureMatches(setC, p)).toBe(true);
    expect(decryptMessage(setC, echostr)).toBe('5927782489442352469');
    expect(signatureMatches(setC, { ...p, nonce: '437374424' })).toBe(false);
  });

  it('C2 (wechatpy): the encrypt direction, random fixed, gives the published ciphertext and signature', () => {
    const encrypt = encryptMessage(setC, C2_PLAIN, Buffer.from('1234567890123456'));
    expect(encrypt).toBe(C2_ENCRYPT);
    expect(signature(setC.token, '1411525903', '461056294', encrypt)).toBe('407518b7649e86ef23978113f92d27afa9296533');
    expect(decryptMessage(setC, encrypt)).toBe(C2_PLAIN);
  });

  it('C3 (wechatpy): pad 1, the other boundary', () => {
    expect(signature(setC.token, '1411525903', '461056294', C3_ENCRYPT)).toBe('74d92dfeb87ba7c714f89d98870ae5eb62dff26d');
    expect(field(readXml(decryptMessage(setC, C3_ENCRYPT))!, 'MsgId')).toBe('4363689963896700987');
  });
});

describe('WeCom crypto: refusals', () => {
  it('a wrong receiveid (another corp’s message) is -40005', () => {
    expect(codeOf(() => decryptMessage({ ...setB, receiveId: 'ww0000000000000000' }, B2_ENCRYPT))).toBe(-40005);
    expect(codeOf(() => decryptMessage({ ...setB, receiveId: '' }, B2_ENCRYPT))).toBe(-40005);
  });

  it('another key, a truncated or tampered ciphertext never yields a message', () => {
    expect(codeOf(() => decryptMessage({ ...setB, encodingAESKey: setC.encodingAESKey }, B2_ENCRYPT))).toBe(-40005);
    expect(codeOf(() => decryptMessage(setB, B2_ENCRYPT.slice(0, 40)))).toBe(-40007);
    const bytes = Buffer.from(B2_ENCRYPT, 'base64');
    bytes[bytes.length - 20]! ^= 0xff;
    expect(codeOf(() => decryptMessage(setB, bytes.toString('base64')))).toBe(-40005);
    expect(codeOf(() => decryptMessage({ ...setB, encodingAESKey: 'short' }, B2_ENCRYPT))).toBe(-40004);
  });

  it('a signature over a changed ciphertext, timestamp or token does not match', () => {
    const p = { timestamp: '1409659813', nonce: '1372623149', encrypt: B2_ENCRYPT, signature: '477715d11cdb4164915debcba66cb864d751f3e6' };
    expect(signatureMatches(setB, p)).toBe(true);
    expect(signatureMatches(setB, { ...p, signature: p.signature.toUpperCase() })).toBe(true);
    expect(signatureMatches(setB, { ...p, encrypt: `${B2_ENCRYPT.slice(0, -4)}AAA=` })).toBe(false);
    expect(signatureMatches(setB, { ...p, timestamp: '1409659814' })).toBe(false);
    expect(signatureMatches({ token: 'other' }, p)).toBe(false);
    expect(signatureMatches(setB, { ...p, signature: '' })).toBe(false);
  });
});
