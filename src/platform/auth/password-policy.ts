// The password policy, shared by the server and the console (which imports this file as is).
export const PASSWORD_MIN_LENGTH = 10;
