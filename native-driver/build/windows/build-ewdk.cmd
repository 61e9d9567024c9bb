@echo off
rem SPDX-License-Identifier: Apache-2.0
rem
rem Builds tuntap6.sys with the Enterprise WDK (EWDK) ISO, no Visual Studio
rem installation needed. Usage, from a cmd prompt:
rem   build-ewdk.cmd <EWDK root, e.g. E:\> [Release|Debug] [x64|ARM64]
rem The EWDK's LaunchBuildEnv.cmd sets up MSBuild and the WDK; this script
rem then builds tuntap6.vcxproj next to it. Output goes to
rem native-driver\build\out\windows\<platform>\<configuration>\tuntap6\.
setlocal
if "%~1"=="" (
  echo usage: %~nx0 EWDK-root [Release^|Debug] [x64^|ARM64]
  exit /b 2
)
set "EWDK=%~1"
set "CONFIG=%~2"
if "%CONFIG%"=="" set "CONFIG=Release"
set "PLATFORM=%~3"
if "%PLATFORM%"=="" set "PLATFORM=x64"
call "%EWDK%\BuildEnv\SetupBuildEnv.cmd" || exit /b 1
msbuild "%~dp0tuntap6.vcxproj" /m /p:Configuration=%CONFIG% /p:Platform=%PLATFORM% || exit /b 1
endlocal
