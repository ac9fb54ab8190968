/**
 * Passwords of ten characters or more that people choose most often (from public breach-frequency
 * lists, plus the Vietnamese ones staff are likely to type, and this project's own name). A new
 * password on this list is refused whatever its length (issue 15, point 14). Kept small on purpose:
 * it stops the guesses an attacker tries first, not every weak password.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set(
  `
1234567890 12345678910 0123456789 0987654321 9876543210 1111111111 0000000000 1234512345
123456789a 123456789q a123456789 q123456789 1q2w3e4r5t 1q2w3e4r5t6y 1qaz2wsx3edc qwertyuiop
qwerty1234 qwerty12345 qwerty123456 asdfghjkl1 asdfghjkl; zxcvbnm123 1234qwerty 123qweasd
123qweasdzxc qweasdzxc1 abc1234567 abcd123456 abcdef1234 abcdefghij 1234abcd!! password12
password123 password1234 password12345 password! password@123 p@ssw0rd123 passw0rd123 password01
iloveyou123 iloveyou12 iloveyou1234 princess123 sunshine123 football123 baseball123 welcome123
welcome1234 welcome@123 letmein123 monkey1234 dragon1234 master1234 superman123 starwars123
trustno123 whatever123 computer123 michael123 jennifer123 qwertyqwerty 11111111111 123123123123
123456123456 1234567891 12345678901 123456789123 147258369a 1472583690 3692581470 7894561230
admin12345 admin123456 administrator admin@1234 admin@12345 changeme123 changeme12 default123
welcometo123 test123456 testtest12 guest12345 root123456 useruser12 user123456 letmeinplease
matkhau123 matkhau1234 matkhau12345 matkhau123456 matkhaumoi matkhau@123 matkhau2024 matkhau2025
matkhau2026 mat-khau-123 matkhaucuatoi anhyeuem123 anhyeuem1234 emyeuanh123 yeuemnhieu
iloveyouem vietnam123 vietnam1234 vietnam2024 vietnam2025 vietnam2026 vietnamvodich hanoi12345
saigon1234 hochiminh123 nguyenvan123 nguyenvana1 nguyen12345 tranvan123 levan12345 phamvan123
motcua1234 motcua12345 motcua2025 motcua2026 motcua@123 motcuaubnd ubndphuong ubndphuong1
ubndxa12345 ubnd123456 ubnd@12345 phuong12345 xa123456789 tinh123456 congan1234 canbo12345
canbo@1234 quantri123 quantri1234 quantri@123 quantrivien bientap123 chatbot123 chatbot1234
zalo123456 telegram123 12345678@a 123456@abc abc@123456 aa123456789 aaaaaaaaaa zzzzzzzzzz
`
    .split(/\s+/)
    .filter(Boolean),
);
