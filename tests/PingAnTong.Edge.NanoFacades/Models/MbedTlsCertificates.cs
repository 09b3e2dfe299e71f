using System;
using System.Collections;

namespace PingAnTong.Edge.NanoFacades
{
    /// <summary>
    /// What mbedtls_x509_crt_parse accepts, as the ESP32 nanoFramework calls it. The X509Certificate constructors
    /// hand their buffer to ParseCertificate (nanoframework/System.Net@v1.11.54:nanoFramework.System.Net/X509Certificates/X509Certificate.cs:
    /// the byte[] constructor passes the bytes as they are, the string constructor encodes UTF-8 and appends a
    /// NUL), which calls mbedtls_x509_crt_parse over the whole array
    /// (nanoframework/nf-interpreter@a3e8139a1ba778e33ca81b023099765eada6c456:src/DeviceInterfaces/System.Net/sys_net_native_System_Security_Cryptography_X509Certificates_X509Certificate.cpp,
    /// src/PAL/COM/sockets/ssl/MbedTLS/ssl_parse_certificate_internal.cpp: "when the format is a string it has to
    /// include the terminator otherwise the parse will fail"); a failed parse is CLR_E_INVALID_PARAMETER, i.e.
    /// ArgumentException from the constructor. mbedTLS treats the buffer as PEM only if its LAST byte is NUL and
    /// it contains "-----BEGIN CERTIFICATE-----" (Mbed-TLS/mbedtls@03334868372d9ab34d0b25dfa0a316c5b79d556b:library/x509_crt.c,
    /// mbedtls_x509_crt_parse); anything else is parsed as one DER certificate, so a PEM file read with
    /// File.ReadAllBytes (no NUL) fails while a DER file works. The DER check here is structural (the X.509
    /// Certificate SEQUENCE with tbsCertificate, signatureAlgorithm and signature, and the validity dates); the
    /// signature is not verified.
    /// </summary>
    public static class MbedTlsCertificates
    {
        private const string Begin = "-----BEGIN CERTIFICATE-----";
        private const string End = "-----END CERTIFICATE-----";

        /// <summary>True when the buffer would be parsed as PEM (ends with NUL and holds a BEGIN line).</summary>
        public static bool IsPem(byte[] buffer)
        {
            return buffer != null && buffer.Length > 0 && buffer[buffer.Length - 1] == 0 && IndexOf(buffer, Begin, 0, buffer.Length) >= 0;
        }

        /// <summary>Parses as mbedTLS would: the DER of each certificate, or null with <paramref name="reason"/>.</summary>
        public static byte[][] Parse(byte[] buffer, out string reason)
        {
            reason = null;
            if (buffer == null || buffer.Length == 0)
            {
                reason = "empty buffer";
                return null;
            }
            if (!IsPem(buffer))
            {
                int end;
                if (!CheckDer(buffer, 0, out end, out reason))
                {
                    if (IndexOf(buffer, Begin, 0, buffer.Length) >= 0) reason = "PEM text without a terminating NUL byte is parsed as DER and fails (" + reason + ")";
                    return null;
                }
                byte[] der = new byte[end];
                Array.Copy(buffer, der, end);
                return new byte[][] { der };
            }
            ArrayList certs = new ArrayList();
            int at = 0;
            int limit = buffer.Length - 1; // the NUL
            while (true)
            {
                int begin = IndexOf(buffer, Begin, at, limit);
                if (begin < 0) break;
                int bodyStart = begin + Begin.Length;
                int finish = IndexOf(buffer, End, bodyStart, limit);
                if (finish < 0)
                {
                    reason = "PEM: no END line";
                    return null;
                }
                byte[] der = Base64(buffer, bodyStart, finish);
                int derEnd;
                string why = null;
                if (der == null || !CheckDer(der, 0, out derEnd, out why))
                {
                    reason = "PEM body is not a DER certificate" + (der == null ? " (bad base64)" : " (" + why + ")");
                    return null;
                }
                certs.Add(der);
                at = finish + End.Length;
            }
            if (certs.Count == 0)
            {
                reason = "PEM: no certificate";
                return null;
            }
            byte[][] result = new byte[certs.Count][];
            for (int i = 0; i < certs.Count; i++) result[i] = (byte[])certs[i];
            return result;
        }

        /// <summary>notBefore and notAfter of a DER certificate, as UTC ticks; false if they cannot be read.</summary>
        public static bool Validity(byte[] der, out long notBeforeTicks, out long notAfterTicks)
        {
            notBeforeTicks = 0;
            notAfterTicks = 0;
            int p = 0, len;
            if (!Header(der, ref p, der.Length, 0x30, out len)) return false; // Certificate
            int certEnd = p + len;
            if (!Header(der, ref p, certEnd, 0x30, out len)) return false; // tbsCertificate
            int tbsEnd = p + len;
            if (p < tbsEnd && der[p] == 0xA0)
            {
                if (!Header(der, ref p, tbsEnd, 0xA0, out len)) return false;
                p += len; // version
            }
            for (int i = 0; i < 3; i++) // serialNumber, signature, issuer
            {
                if (!Skip(der, ref p, tbsEnd)) return false;
            }
            if (!Header(der, ref p, tbsEnd, 0x30, out len)) return false; // validity
            int validityEnd = p + len;
            return Time(der, ref p, validityEnd, out notBeforeTicks) && Time(der, ref p, validityEnd, out notAfterTicks);
        }

        private static bool CheckDer(byte[] der, int start, out int end, out string reason)
        {
            end = 0;
            reason = null;
            int p = start, len;
            if (!Header(der, ref p, der.Length, 0x30, out len))
            {
                reason = "not an ASN.1 SEQUENCE";
                return false;
            }
            int certEnd = p + len;
            int tbsLen;
            if (!Header(der, ref p, certEnd, 0x30, out tbsLen))
            {
                reason = "no tbsCertificate";
                return false;
            }
            p += tbsLen;
            int algLen;
            if (!Header(der, ref p, certEnd, 0x30, out algLen))
            {
                reason = "no signatureAlgorithm";
                return false;
            }
            p += algLen;
            int sigLen;
            if (!Header(der, ref p, certEnd, 0x03, out sigLen) || p + sigLen != certEnd)
            {
                reason = "no signature BIT STRING";
                return false;
            }
            long nb, na;
            if (!Validity(der, out nb, out na))
            {
                reason = "unreadable validity";
                return false;
            }
            end = certEnd;
            return true;
        }

        private static bool Header(byte[] b, ref int p, int limit, int tag, out int length)
        {
            length = 0;
            if (p + 2 > limit || b[p] != tag) return false;
            int first = b[p + 1];
            p += 2;
            if (first < 0x80)
            {
                length = first;
            }
            else
            {
                int n = first & 0x7F;
                if (n == 0 || n > 3 || p + n > limit) return false;
                for (int i = 0; i < n; i++) length = (length << 8) | b[p + i];
                p += n;
            }
            return p + length <= limit;
        }

        private static bool Skip(byte[] b, ref int p, int limit)
        {
            if (p >= limit) return false;
            int len;
            if (!Header(b, ref p, limit, b[p], out len)) return false;
            p += len;
            return true;
        }

        private static bool Time(byte[] b, ref int p, int limit, out long ticks)
        {
            ticks = 0;
            if (p >= limit) return false;
            int tag = b[p];
            int len;
            if ((tag != 0x17 && tag != 0x18) || !Header(b, ref p, limit, tag, out len)) return false;
            int digits = tag == 0x17 ? 2 : 4;
            if (len < digits + 10) return false;
            int year = Digits(b, p, digits);
            if (tag == 0x17) year += year < 50 ? 2000 : 1900;
            int month = Digits(b, p + digits, 2), day = Digits(b, p + digits + 2, 2);
            int hour = Digits(b, p + digits + 4, 2), minute = Digits(b, p + digits + 6, 2);
            int second = len >= digits + 12 && b[p + digits + 10] != 'Z' ? Digits(b, p + digits + 10, 2) : 0;
            p += len;
            if (year < 1 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return false;
            ticks = new DateTime(year, month, day, hour, minute, second).Ticks;
            return true;
        }

        private static int Digits(byte[] b, int at, int count)
        {
            int v = 0;
            for (int i = 0; i < count; i++)
            {
                int d = b[at + i] - '0';
                if (d < 0 || d > 9) return -1;
                v = v * 10 + d;
            }
            return v;
        }

        private static int IndexOf(byte[] b, string text, int from, int limit)
        {
            for (int i = from; i + text.Length <= limit; i++)
            {
                int j = 0;
                while (j < text.Length && b[i + j] == text[j]) j++;
                if (j == text.Length) return i;
            }
            return -1;
        }

        private static byte[] Base64(byte[] b, int from, int to)
        {
            char[] chars = new char[to - from];
            int n = 0;
            for (int i = from; i < to; i++)
            {
                char c = (char)b[i];
                if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
                chars[n++] = c;
            }
            try
            {
                return Convert.FromBase64CharArray(chars, 0, n);
            }
            catch (Exception)
            {
                return null;
            }
        }
    }
}
